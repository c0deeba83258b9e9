// Frozen: this migration must never import application code, and is never edited once shipped.
// Times are ISO-8601 UTC strings with milliseconds (`Date#toISOString`): they sort as text the same
// way on SQLite and PostgreSQL. Money is integer minor units in bigint columns.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('membership_number', 'text', (c) => c.unique())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('phone_number', 'text')
    .addColumn('address', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('accounts_role_created').on('accounts').columns(['role', 'created_at', 'id']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_digest', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_failures_subject_at').on('login_failures').columns(['subject', 'at']).execute();

  await db.schema
    .createTable('affiliates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('origins', 'text', (c) => c.notNull())
    .addColumn('redeem_url', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('affiliates_created').on('affiliates').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id').onDelete('cascade'))
    .addColumn('digest', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_keys_affiliate').on('api_keys').column('affiliate_id').execute();

  await db.schema
    .createTable('benefits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('price_amount', 'bigint', (c) => c.notNull())
    .addColumn('price_currency', 'text', (c) => c.notNull())
    .addColumn('credential_ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('valid_from', 'text')
    .addColumn('valid_until', 'text')
    .addColumn('per_member_limit', 'integer')
    .addColumn('total_limit', 'integer')
    .addColumn('issued_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requires', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('benefits_active_created')
    .on('benefits')
    .columns(['active', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('benefits_affiliate').on('benefits').column('affiliate_id').execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kid', 'text', (c) => c.notNull().unique())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_key_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addColumn('publish_until', 'text')
    .execute();

  await db.schema
    .createTable('credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('jti', 'text', (c) => c.notNull().unique())
    .addColumn('member_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('benefit_id', 'text', (c) => c.notNull().references('benefits.id'))
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('holder_thumbprint', 'text')
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull())
    .addColumn('billing_ref', 'text', (c) => c.notNull().unique())
    .addColumn('credential', 'text', (c) => c.notNull())
    .addColumn('pin_hash', 'text')
    .addColumn('pin_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('redeemed_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('credentials_member_benefit')
    .on('credentials')
    .columns(['member_id', 'benefit_id', 'holder_thumbprint', 'status'])
    .execute();
  await db.schema
    .createIndex('credentials_member_issued')
    .on('credentials')
    .columns(['member_id', 'issued_at', 'id'])
    .execute();
  await db.schema.createIndex('credentials_benefit').on('credentials').column('benefit_id').execute();
  await db.schema.createIndex('credentials_issued').on('credentials').columns(['issued_at', 'id']).execute();

  await db.schema
    .createTable('nonces')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('nonces_expires').on('nonces').column('expires_at').execute();

  await db.schema
    .createTable('redemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('credential_id', 'text', (c) => c.notNull().references('credentials.id'))
    .addColumn('jti', 'text', (c) => c.notNull())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('benefit_id', 'text', (c) => c.notNull().references('benefits.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('billing_ref', 'text', (c) => c.notNull())
    .addColumn('order_ref', 'text')
    .addColumn('order_total_amount', 'bigint')
    .addColumn('order_total_currency', 'text')
    .addColumn('disclosed', 'text', (c) => c.notNull())
    .addColumn('receipt', 'text', (c) => c.notNull())
    .addColumn('redeemed_at', 'text', (c) => c.notNull())
    .addColumn('voided_at', 'text')
    .addColumn('void_reason', 'text')
    .execute();
  // The last line of defence for exactly-once: at most one live redemption per credential.
  await db.schema
    .createIndex('redemptions_one_live_per_jti')
    .on('redemptions')
    .column('jti')
    .unique()
    .where(sql.ref('voided_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('redemptions_affiliate_at')
    .on('redemptions')
    .columns(['affiliate_id', 'redeemed_at', 'id'])
    .execute();
  await db.schema.createIndex('redemptions_credential').on('redemptions').column('credential_id').execute();
  await db.schema.createIndex('redemptions_at').on('redemptions').columns(['redeemed_at', 'id']).execute();

  await db.schema
    .createTable('billing_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('redemption_id', 'text', (c) => c.notNull().unique().references('redemptions.id'))
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('billing_ref', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('invoice_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('billing_lines_affiliate_status')
    .on('billing_lines')
    .columns(['affiliate_id', 'status'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('affiliate_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer', (c) => c.notNull())
    .addColumn('response_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['affiliate_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text')
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('approved_at', 'text')
    .addColumn('paid_at', 'text')
    .execute();
  await db.schema
    .createIndex('invoices_affiliate_created')
    .on('invoices')
    .columns(['affiliate_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'audit_log',
    'invoices',
    'idempotency_keys',
    'billing_lines',
    'redemptions',
    'nonces',
    'credentials',
    'signing_keys',
    'benefits',
    'api_keys',
    'affiliates',
    'login_failures',
    'sessions',
    'accounts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
