import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newBillingRef } from './billing-ref.js';

test('newBillingRef is BR- and 16 unambiguous base32 characters, different every time', () => {
  const refs = Array.from({ length: 1000 }, newBillingRef);
  for (const ref of refs) assert.match(ref, /^BR-[0-9A-HJKMNP-TV-Z]{16}$/);
  assert.equal(new Set(refs).size, refs.length);
});
