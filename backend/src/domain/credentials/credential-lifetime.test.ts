import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IssuableBenefit } from '../../store/credential-store.js';
import { credentialLifetime } from './credential-lifetime.js';

const NOW = new Date('2026-12-03T12:00:00.500Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const benefit: IssuableBenefit = {
  id: 'ben_1',
  affiliateId: 'aff_1',
  redeemUrl: null,
  kind: 'prize',
  title: 'A prize',
  terms: {},
  credentialTtlSeconds: 3600,
  validFrom: null,
  validUntil: null,
  perMemberLimit: null,
  totalLimit: null,
  active: true,
};
const notFound = { code: 'not_found' };

test('credentialLifetime runs for the TTL from now, in whole seconds', () => {
  assert.deepEqual(credentialLifetime(benefit, NOW), { iat: NOW_S, exp: NOW_S + 3600 });
});

test('credentialLifetime never passes valid_until', () => {
  const validUntil = new Date((NOW_S + 60) * 1000 + 999).toISOString();
  assert.deepEqual(credentialLifetime({ ...benefit, validUntil }, NOW), { iat: NOW_S, exp: NOW_S + 60 });
});

test('credentialLifetime refuses withdrawn, not yet started and ended benefits as not_found', () => {
  assert.throws(() => credentialLifetime({ ...benefit, active: false }, NOW), notFound);
  assert.throws(() => credentialLifetime({ ...benefit, validFrom: '2026-12-03T12:00:01.000Z' }, NOW), notFound);
  assert.throws(() => credentialLifetime({ ...benefit, validUntil: '2026-12-03T12:00:00.900Z' }, NOW), notFound);
  assert.doesNotThrow(() => credentialLifetime({ ...benefit, validFrom: '2026-12-03T12:00:00.500Z' }, NOW));
});
