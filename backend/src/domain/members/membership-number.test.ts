import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isValidMembershipNumber, luhnCheckDigit, newMembershipNumber } from './membership-number.js';

describe('luhnCheckDigit', () => {
  test('matches published Luhn values', () => {
    assert.equal(luhnCheckDigit('7992739871'), 3); // 79927398713, the textbook example
    assert.equal(luhnCheckDigit('411111111111111'), 1); // 4111 1111 1111 1111, the Visa test card
    assert.equal(luhnCheckDigit('555555555555444'), 4); // 5555 5555 5555 4444, the Mastercard test card
    assert.equal(luhnCheckDigit('37828224631000'), 5); // 3782 822463 10005, the Amex test card
    assert.equal(luhnCheckDigit('000000000'), 0);
  });
});

describe('isValidMembershipNumber', () => {
  test('accepts CP- with nine digits and their check digit', () => {
    assert.equal(isValidMembershipNumber('CP-0000000000'), true);
    assert.equal(isValidMembershipNumber(`CP-799273987${luhnCheckDigit('799273987')}`), true);
  });

  test('refuses anything not shaped CP-dddddddddd', () => {
    for (const value of [
      '',
      'CP-',
      'CP-000000000',
      'CP-00000000000',
      'cp-0000000000',
      'CP 0000000000',
      'XP-0000000000',
      ' CP-0000000000',
      'CP-0000000000 ',
      'CP-00000000O0',
      'CP-０000000000', // a full-width digit is not a digit here
    ]) {
      assert.equal(isValidMembershipNumber(value), false, JSON.stringify(value));
    }
  });

  test('every wrong check digit is refused', () => {
    const payload = '799273987';
    const right = luhnCheckDigit(payload);
    for (let d = 0; d <= 9; d++) {
      assert.equal(isValidMembershipNumber(`CP-${payload}${d}`), d === right, `check digit ${d}`);
    }
  });
});

describe('newMembershipNumber', () => {
  test('generated numbers are always well formed and valid, and they vary', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const value = newMembershipNumber();
      assert.match(value, /^CP-\d{10}$/);
      assert.equal(isValidMembershipNumber(value), true, value);
      seen.add(value);
    }
    assert.ok(seen.size > 1990, `only ${seen.size} distinct numbers in 2000`);
  });

  test('changing any one digit of a number is detected', () => {
    for (let i = 0; i < 50; i++) {
      const value = newMembershipNumber();
      for (let position = 3; position < value.length; position++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === value[position]) continue;
          const changed = `${value.slice(0, position)}${d}${value.slice(position + 1)}`;
          assert.equal(isValidMembershipNumber(changed), false, `${value} -> ${changed}`);
        }
      }
    }
  });

  test('swapping two different adjacent digits is detected (except 0 and 9, a Luhn blind spot)', () => {
    for (let i = 0; i < 50; i++) {
      const value = newMembershipNumber();
      for (let position = 3; position < value.length - 1; position++) {
        const a = value[position] as string;
        const b = value[position + 1] as string;
        if (a === b || (a === '0' && b === '9') || (a === '9' && b === '0')) continue;
        const swapped = `${value.slice(0, position)}${b}${a}${value.slice(position + 2)}`;
        assert.equal(isValidMembershipNumber(swapped), false, `${value} -> ${swapped}`);
      }
    }
  });
});
