import type { Money } from '@clubpass/shared';
import type { InvoicesTable } from '../db/schema.js';
import type { StoreContext } from './kysely-db.js';
import { newestFirst, type Page, type PageRequest, toPage } from './pagination.js';

/** Why a line of an affiliate's invoice was not accepted (PROTOCOL.md §7). */
export type RejectionReason =
  | 'unknown'
  | 'not_yours'
  | 'already_invoiced'
  | 'voided'
  | 'amount_mismatch'
  | 'duplicate_line'
  | 'out_of_period';

export interface InvoiceLine {
  redemptionId: string;
  amount: Money;
  reason: RejectionReason | null;
}

export interface Invoice {
  id: string;
  affiliateId: string;
  periodStart: string;
  periodEnd: string;
  status: 'submitted' | 'approved' | 'paid';
  /** Sum of the accepted lines; currency null when no line was accepted. */
  total: { amount: number; currency: string | null };
  lines: InvoiceLine[];
  createdAt: string;
  approvedAt: string | null;
  paidAt: string | null;
}

/** What the ledger knows of a redemption named on an invoice line. */
export interface LedgerEntry {
  redemptionId: string;
  affiliateId: string;
  amount: Money;
  billingStatus: 'open' | 'invoiced' | 'cancelled';
  redeemedAt: string;
  voided: boolean;
}

export interface InvoiceStore {
  insert(invoice: Invoice): Promise<void>;
  findById(id: string): Promise<Invoice | null>;
  /**
   * Newest first; by affiliate through `invoices_affiliate_created`, by status alone through
   * `invoices_status_created`.
   */
  list(filter: { affiliateId?: string; status?: Invoice['status'] }, page: PageRequest): Promise<Page<Invoice>>;
  /** The ledger entries of these redemptions, by id; missing ids are unknown. */
  ledgerEntries(redemptionIds: readonly string[]): Promise<Map<string, LedgerEntry>>;
  /**
   * Marks a redemption's open billing line invoiced, in one conditional write: of two invoices
   * racing for the same line exactly one gets true.
   */
  markInvoiced(redemptionId: string, affiliateId: string, invoiceId: string): Promise<boolean>;
  /** Moves an invoice from one status to the next; false when it is not in `from`. */
  advance(id: string, from: Invoice['status'], to: Invoice['status'], at: string): Promise<boolean>;
  /**
   * What the club owes its affiliates, per currency in code order: billing lines not invoiced
   * yet (`open`) plus the totals of invoices not paid yet (an invoice's total is the sum of the
   * lines it claimed, all in one currency). Reads the `billing_lines_status_currency` and
   * `invoices_status_created` indexes, never the paid history.
   */
  owedByCurrency(): Promise<Money[]>;
}

function toInvoice(row: InvoicesTable): Invoice {
  return {
    id: row.id,
    affiliateId: row.affiliate_id,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    status: row.status,
    total: { amount: Number(row.total_amount), currency: row.currency },
    lines: JSON.parse(row.lines) as InvoiceLine[],
    createdAt: row.created_at,
    approvedAt: row.approved_at,
    paidAt: row.paid_at,
  };
}

/** Creates the Kysely implementation of {@link InvoiceStore}. */
export function createInvoiceStore({ db }: StoreContext): InvoiceStore {
  return {
    async insert(i) {
      await db
        .insertInto('invoices')
        .values({
          id: i.id,
          affiliate_id: i.affiliateId,
          period_start: i.periodStart,
          period_end: i.periodEnd,
          status: i.status,
          total_amount: i.total.amount,
          currency: i.total.currency,
          lines: JSON.stringify(i.lines),
          created_at: i.createdAt,
          approved_at: i.approvedAt,
          paid_at: i.paidAt,
        })
        .execute();
    },
    async findById(id) {
      const row = await db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toInvoice(row) : null;
    },
    async list(filter, page) {
      let query = db.selectFrom('invoices').selectAll();
      if (filter.affiliateId !== undefined) query = query.where('affiliate_id', '=', filter.affiliateId);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      const rows = await newestFirst(query, page, { at: 'created_at', id: 'id' }).execute();
      return toPage(rows, page.limit, (r) => ({ at: r.created_at, id: r.id }), toInvoice);
    },
    async ledgerEntries(ids) {
      const entries = new Map<string, LedgerEntry>();
      if (ids.length === 0) return entries;
      const rows = await db
        .selectFrom('redemptions')
        .innerJoin('billing_lines', 'billing_lines.redemption_id', 'redemptions.id')
        .select([
          'redemptions.id',
          'redemptions.affiliate_id',
          'redemptions.redeemed_at',
          'redemptions.voided_at',
          'billing_lines.amount',
          'billing_lines.currency',
          'billing_lines.status',
        ])
        .where('redemptions.id', 'in', [...ids])
        .execute();
      for (const r of rows) {
        entries.set(r.id, {
          redemptionId: r.id,
          affiliateId: r.affiliate_id,
          amount: { amount: Number(r.amount), currency: r.currency },
          billingStatus: r.status,
          redeemedAt: r.redeemed_at,
          voided: r.voided_at !== null,
        });
      }
      return entries;
    },
    async markInvoiced(redemptionId, affiliateId, invoiceId) {
      const result = await db
        .updateTable('billing_lines')
        .set({ status: 'invoiced', invoice_id: invoiceId })
        .where('redemption_id', '=', redemptionId)
        .where('affiliate_id', '=', affiliateId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async advance(id, from, to, at) {
      const result = await db
        .updateTable('invoices')
        .set(to === 'approved' ? { status: to, approved_at: at } : { status: to, paid_at: at })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async owedByCurrency() {
      const open = await db
        .selectFrom('billing_lines')
        .select((eb) => ['currency', eb.fn.sum<number | string>('amount').as('total')])
        .where('status', '=', 'open')
        .groupBy('currency')
        .execute();
      const unpaid = await db
        .selectFrom('invoices')
        .select((eb) => ['currency', eb.fn.sum<number | string>('total_amount').as('total')])
        .where('status', 'in', ['submitted', 'approved'])
        .where('currency', 'is not', null)
        .groupBy('currency')
        .execute();
      const owed = new Map<string, number>();
      for (const row of [...open, ...unpaid]) {
        if (row.currency === null) continue;
        owed.set(row.currency, (owed.get(row.currency) ?? 0) + Number(row.total));
      }
      return [...owed]
        .map(([currency, amount]) => ({ amount, currency }))
        .filter((m) => m.amount > 0)
        .sort((a, b) => (a.currency < b.currency ? -1 : 1));
    },
  };
}
