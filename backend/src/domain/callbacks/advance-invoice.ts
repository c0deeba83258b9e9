import { type Clock, ClubpassError } from '@clubpass/shared';
import type { Invoice } from '../../store/invoice-store.js';
import type { Store } from '../../store/store.js';

const PREVIOUS: Record<'approved' | 'paid', Invoice['status']> = { approved: 'submitted', paid: 'approved' };

/**
 * An admin approves a submitted invoice, or marks an approved one paid. Each step happens once:
 * a second approval, or paying an unapproved invoice, is 409 `conflict`.
 */
export async function advanceInvoice(
  deps: { store: Store; clock: Clock },
  invoiceId: string,
  to: 'approved' | 'paid',
): Promise<Invoice> {
  const from = PREVIOUS[to];
  if (!(await deps.store.invoices.advance(invoiceId, from, to, deps.clock.now().toISOString()))) {
    const invoice = await deps.store.invoices.findById(invoiceId);
    if (invoice === null) throw new ClubpassError('not_found', 'no such invoice');
    throw new ClubpassError('conflict', `the invoice is ${invoice.status}; only a ${from} invoice can be marked ${to}`);
  }
  const invoice = await deps.store.invoices.findById(invoiceId);
  if (invoice === null) throw new ClubpassError('not_found', 'no such invoice');
  return invoice;
}
