import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairwiseSubject } from './pairwise-subject.js';

const KEY = new Uint8Array(32).fill(3);

test('pairwiseSubject is stable per member and affiliate, and unlinkable across them', () => {
  const sub = pairwiseSubject(KEY, 'mem_a', 'aff_1');
  assert.match(sub, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(pairwiseSubject(KEY, 'mem_a', 'aff_1'), sub);
  assert.notEqual(pairwiseSubject(KEY, 'mem_a', 'aff_2'), sub);
  assert.notEqual(pairwiseSubject(KEY, 'mem_b', 'aff_1'), sub);
  assert.equal(sub.includes('mem_a'), false);
});

test('pairwiseSubject depends on the club key, and refuses a short one', () => {
  assert.notEqual(
    pairwiseSubject(new Uint8Array(32).fill(4), 'mem_a', 'aff_1'),
    pairwiseSubject(KEY, 'mem_a', 'aff_1'),
  );
  assert.throws(() => pairwiseSubject(new Uint8Array(16), 'mem_a', 'aff_1'));
});
