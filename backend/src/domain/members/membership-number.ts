import { randomInt } from 'node:crypto';

const FORMAT = /^CP-\d{10}$/;

/** The Luhn check digit for a string of digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit from the right of the payload (the check digit will sit to its right).
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A new membership number: `CP-`, nine random digits and a Luhn check digit (PROTOCOL.md §1). */
export function newMembershipNumber(): string {
  let payload = '';
  for (let i = 0; i < 9; i++) payload += String(randomInt(10));
  return `CP-${payload}${luhnCheckDigit(payload)}`;
}

/** True for a well-formed membership number whose check digit is right. */
export function isValidMembershipNumber(value: string): boolean {
  if (!FORMAT.test(value)) return false;
  const digits = value.slice(3);
  return luhnCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}
