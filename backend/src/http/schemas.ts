import { z } from 'zod';

/** An e-mail address, trimmed and lower-cased so one person cannot register twice by case. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .transform((value) => value.toLowerCase())
  .pipe(z.email({ message: 'enter an e-mail address like name@example.com' }));

/** 8..256 characters of any Unicode, counted as code points (PROTOCOL.md §6). */
export const passwordSchema = z
  .string()
  .refine((value) => [...value].length >= 8, 'use at least 8 characters')
  .refine((value) => [...value].length <= 256, 'use at most 256 characters');

const text = (max: number) => z.string().trim().min(1).max(max);

export const addressSchema = z
  .object({
    street_address: text(200).optional(),
    locality: text(100).optional(),
    region: text(100).optional(),
    postal_code: text(20).optional(),
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'use a two-letter country code such as DE')
      .transform((c) => c.toUpperCase())
      .optional(),
  })
  .strict();

export const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{5,20}$/, 'use digits, spaces and an optional leading +');

/** A person's name part. */
export const nameSchema = text(100);

/** Money in integer minor units and an upper-case ISO 4217 code (PROTOCOL.md §1). */
export const moneySchema = z
  .object({
    amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    currency: z.string().regex(/^[A-Z]{3}$/, 'use an upper-case ISO 4217 code such as EUR'),
  })
  .strict();

/** An RFC 3339 timestamp (PROTOCOL.md §1), normalized to the stored form (UTC with milliseconds). */
export const timestampSchema = z.iso
  .datetime({ offset: true, message: 'use an RFC 3339 time such as 2026-12-03T15:04:05Z' })
  .transform((value) => new Date(value).toISOString());

/** An object id with its type prefix (PROTOCOL.md §1). */
export const idSchema = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9_-]{10,64}$`), `expected an id starting with ${prefix}_`);
