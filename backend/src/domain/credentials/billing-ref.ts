import { randomBytes } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so a reference read out over the phone or typed from an
// invoice is not misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new billing reference for a credential (PROTOCOL.md §3 `billing_ref`): `BR-` and 16 base32
 * characters (80 random bits). It appears on the affiliate's invoice lines, so it is short and
 * unambiguous to read; the credentials table keeps it unique.
 */
export function newBillingRef(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `BR-${out}`;
}
