import { randomBytes, randomUUID } from 'node:crypto';
import type { Address, Money } from '@clubpass/shared';
import type { Selectable } from 'kysely';
import type { InvoiceAnswer, Redemption } from './club.js';
import type { ShopDatabase, ShopDb } from './database.js';

export type Order = Selectable<ShopDatabase['orders']>;
export type Invoice = Selectable<ShopDatabase['invoices']>;

/** Who the order is for, as the customer confirmed it at checkout. */
export interface Customer {
  given_name: string;
  family_name?: string;
  address?: Address;
}

export interface NewOrder {
  via: Order['via'];
  sessionId: string | null;
  product: string;
  listPrice: Money;
  total: Money;
  customer: Customer;
  benefitTitle: string | null;
  /** The credential a member order will redeem, when known before the club answers. */
  credentialId?: string;
}

export function customerOf(order: Order): Customer {
  return JSON.parse(order.customer) as Customer;
}

/** Creates an order. Member orders start pending, with the Idempotency-Key their redemption will use. */
export async function createOrder(db: ShopDb, input: NewOrder, now: Date): Promise<Order> {
  const member = input.via !== 'none';
  const order: Order = {
    id: `ord_${randomBytes(16).toString('base64url')}`,
    status: member ? 'pending' : 'completed',
    via: input.via,
    session_id: input.sessionId,
    idempotency_key: member ? randomUUID() : null,
    product: input.product,
    list_price: input.listPrice.amount,
    total: input.total.amount,
    currency: input.total.currency,
    customer: JSON.stringify(input.customer),
    benefit_title: input.benefitTitle,
    redemption_id: null,
    credential_id: input.credentialId ?? null,
    billing_amount: null,
    billing_currency: null,
    billing_ref: null,
    receipt: null,
    receipt_claims: null,
    redeemed_at: null,
    invoice_id: null,
    billing_rejection: null,
    failure_code: null,
    created_at: now.toISOString(),
    completed_at: member ? null : now.toISOString(),
  };
  await db.insertInto('orders').values(order).execute();
  return order;
}

/**
 * The order this browser already sent to the club without getting an answer. Placing the order
 * again re-sends it with the same Idempotency-Key, so the club replays its first answer instead
 * of redeeming the benefit a second time.
 */
export async function findPendingOrder(db: ShopDb, sessionId: string, via: Order['via']): Promise<Order | undefined> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('status', '=', 'pending')
    .where('via', '=', via)
    .executeTakeFirst();
}

export async function updateCustomer(db: ShopDb, id: string, customer: Customer): Promise<void> {
  await db
    .updateTable('orders')
    .set({ customer: JSON.stringify(customer) })
    .where('id', '=', id)
    .execute();
}

export async function completeOrder(
  db: ShopDb,
  id: string,
  redemption: Redemption,
  receiptClaims: Record<string, unknown> | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('orders')
    .set({
      status: 'completed',
      redemption_id: redemption.id,
      credential_id: redemption.credential_id,
      billing_amount: redemption.billing.amount,
      billing_currency: redemption.billing.currency,
      billing_ref: redemption.billing.billing_ref,
      receipt: redemption.receipt,
      receipt_claims: receiptClaims === null ? null : JSON.stringify(receiptClaims),
      redeemed_at: redemption.redeemed_at,
      completed_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

/** The club refused: nothing was redeemed, and the next attempt is a new order with a new key. */
export async function failOrder(db: ShopDb, id: string, code: string): Promise<void> {
  await db.updateTable('orders').set({ status: 'failed', failure_code: code }).where('id', '=', id).execute();
}

export async function findOrder(db: ShopDb, id: string): Promise<Order | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCompletedOrders(db: ShopDb): Promise<Order[]> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('status', '=', 'completed')
    .orderBy('completed_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Completed member orders the club has not yet accepted on an invoice. */
export async function unbilledOrders(db: ShopDb): Promise<Order[]> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('status', '=', 'completed')
    .where('redemption_id', 'is not', null)
    .where('invoice_id', 'is', null)
    .orderBy('redeemed_at')
    .execute();
}

/** Keeps the club's reconciliation and marks the accepted redemptions billed, in one transaction. */
export async function recordInvoice(
  db: ShopDb,
  answer: InvoiceAnswer,
  period: { start: string; end: string },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('invoices')
      .values({
        id: answer.id,
        status: answer.status,
        period_start: period.start,
        period_end: period.end,
        reconciliation: JSON.stringify({ accepted: answer.accepted, rejected: answer.rejected, total: answer.total }),
        submitted_at: now.toISOString(),
      })
      .execute();
    if (answer.accepted.length > 0) {
      await tx
        .updateTable('orders')
        .set({ invoice_id: answer.id, billing_rejection: null })
        .where('redemption_id', 'in', answer.accepted)
        .execute();
    }
    for (const line of answer.rejected) {
      await tx
        .updateTable('orders')
        .set({ billing_rejection: line.reason })
        .where('redemption_id', '=', line.redemption_id)
        .execute();
    }
  });
}

export async function findInvoice(db: ShopDb, id: string): Promise<Invoice | undefined> {
  return db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listInvoices(db: ShopDb): Promise<Invoice[]> {
  return db.selectFrom('invoices').selectAll().orderBy('submitted_at', 'desc').execute();
}
