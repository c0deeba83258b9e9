import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, Migrator, SqliteDialect } from 'kysely';

/** The shop's own tables: browser sessions, orders, and the invoices it sent the club. */
export interface ShopDatabase {
  sessions: {
    id: string;
    /** JSON of {@link SessionData} (see sessions.ts). */
    data: string;
    expires_at: string;
  };
  orders: {
    id: string;
    /** pending: sent to the club, no answer yet; completed; failed: the club refused. */
    status: 'pending' | 'completed' | 'failed';
    /** How the member showed their membership: the extension, a link credential, or not at all. */
    via: 'extension' | 'link' | 'none';
    session_id: string | null;
    /** Sent with the redemption; kept with the pending order so a retry replays instead of redeeming twice. */
    idempotency_key: string | null;
    product: string;
    list_price: number;
    total: number;
    currency: string;
    /** JSON: the name and (for the shop) the shipping address the customer confirmed. */
    customer: string;
    benefit_title: string | null;
    redemption_id: string | null;
    credential_id: string | null;
    billing_amount: number | null;
    billing_currency: string | null;
    billing_ref: string | null;
    receipt: string | null;
    /** JSON of the receipt's claims once verified, or null when it did not verify. */
    receipt_claims: string | null;
    redeemed_at: string | null;
    /** Set when the club accepted this redemption on one of our invoices. */
    invoice_id: string | null;
    /** The club's reason when it rejected this line on our last invoice. */
    billing_rejection: string | null;
    failure_code: string | null;
    created_at: string;
    completed_at: string | null;
  };
  invoices: {
    id: string;
    status: string;
    period_start: string;
    period_end: string;
    /** JSON: the club's reconciliation (accepted ids, rejected lines, total). */
    reconciliation: string;
    submitted_at: string;
  };
}

export type ShopDb = Kysely<ShopDatabase>;

// One migration, listed in code. A later schema change is a new entry, never an edit of this one.
const initial: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: a migration runs before the schema type holds
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('via', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text')
      .addColumn('idempotency_key', 'text', (c) => c.unique())
      .addColumn('product', 'text', (c) => c.notNull())
      .addColumn('list_price', 'integer', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('customer', 'text', (c) => c.notNull())
      .addColumn('benefit_title', 'text')
      .addColumn('redemption_id', 'text', (c) => c.unique())
      .addColumn('credential_id', 'text')
      .addColumn('billing_amount', 'integer')
      .addColumn('billing_currency', 'text')
      .addColumn('billing_ref', 'text')
      .addColumn('receipt', 'text')
      .addColumn('receipt_claims', 'text')
      .addColumn('redeemed_at', 'text')
      .addColumn('invoice_id', 'text')
      .addColumn('billing_rejection', 'text')
      .addColumn('failure_code', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .execute();
    await db.schema.createIndex('orders_pending').on('orders').columns(['session_id', 'status', 'via']).execute();
    await db.schema
      .createTable('invoices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('period_start', 'text', (c) => c.notNull())
      .addColumn('period_end', 'text', (c) => c.notNull())
      .addColumn('reconciliation', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .execute();
  },
};

/** Opens (creating if needed) and migrates the shop's SQLite database; `:memory:` for tests. */
export async function openShopDatabase(path: string): Promise<ShopDb> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<ShopDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ '001-initial': initial }) } });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`shop database migration failed: ${String(error)}`, { cause: error });
  return db;
}
