// Frozen: never imports application code, never edited once shipped.
// Issuance looks for a member's live credential for one benefit and holder key, newest first.
// With (member, benefit, holder, status) alone SQLite preferred the member/time index and walked
// all of the member's credentials; with issued_at and id in the key one index seek answers it.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('credentials_reusable')
    .on('credentials')
    .columns(['member_id', 'benefit_id', 'holder_thumbprint', 'status', 'issued_at', 'id'])
    .execute();
  // Its prefix serves every query the old index served.
  await db.schema.dropIndex('credentials_member_benefit').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('credentials_member_benefit')
    .on('credentials')
    .columns(['member_id', 'benefit_id', 'holder_thumbprint', 'status'])
    .execute();
  await db.schema.dropIndex('credentials_reusable').execute();
}
