import { z } from 'zod';
import type { Merchant } from './merchants.js';
import type { Customer } from './orders.js';
import type { CustomerFields } from './views/checkout.js';

const text = (label: string, max: number) =>
  z
    .string({ error: `Enter your ${label}.` })
    .trim()
    .min(1, `Enter your ${label}.`)
    .max(max, `Your ${label} is too long.`);

const pickup = z.object({ given_name: text('name', 100) });
const shipping = z.object({
  given_name: text('first name', 100),
  family_name: text('last name', 100),
  street_address: text('street and number', 200),
  postal_code: text('postal code', 20),
  locality: text('city', 100),
  country: z.string({ error: 'Choose a country.' }).regex(/^[A-Z]{2}$/, 'Choose a country.'),
});

/** Reads the customer's details from a form post, with the first problem as a sentence. */
export function readCustomer(
  merchant: Merchant,
  body: unknown,
): { values: CustomerFields; customer: Customer | null; error: string | null } {
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const values: CustomerFields = {};
  for (const key of ['given_name', 'family_name', 'street_address', 'postal_code', 'locality', 'country'] as const) {
    if (typeof raw[key] === 'string') values[key] = raw[key];
  }
  if (!merchant.ships) {
    const parsed = pickup.safeParse(raw);
    return parsed.success
      ? { values, customer: { given_name: parsed.data.given_name }, error: null }
      : { values, customer: null, error: parsed.error.issues[0]?.message ?? 'Check your details.' };
  }
  const parsed = shipping.safeParse(raw);
  if (!parsed.success)
    return { values, customer: null, error: parsed.error.issues[0]?.message ?? 'Check your details.' };
  const { given_name, family_name, ...address } = parsed.data;
  return { values, customer: { given_name, family_name, address }, error: null };
}

/** Prefills the form from what the member disclosed (names, address); they can still change it. */
export function fieldsFromDisclosed(disclosed: Record<string, unknown>): CustomerFields {
  const address = (disclosed.address ?? {}) as Record<string, unknown>;
  const pick = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    given_name: pick(disclosed.given_name),
    family_name: pick(disclosed.family_name),
    street_address: pick(address.street_address),
    postal_code: pick(address.postal_code),
    locality: pick(address.locality),
    country: pick(address.country),
  };
}
