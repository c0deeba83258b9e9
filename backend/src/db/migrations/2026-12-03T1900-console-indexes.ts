// Frozen: this migration must never import application code, and is never edited once shipped.
// Indexes for the admin console's dashboard and invoice list (issue 6): what the club still owes
// (open billing lines, unpaid invoices) is read by status, which no earlier index leads with.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('billing_lines_status_currency')
    .on('billing_lines')
    .columns(['status', 'currency'])
    .execute();
  await db.schema
    .createIndex('invoices_status_created')
    .on('invoices')
    .columns(['status', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('invoices_status_created').execute();
  await db.schema.dropIndex('billing_lines_status_currency').execute();
}
