import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentialLink } from './credential-link.js';
import { memberCredentialStatus } from './credential-status.js';

const NOW = new Date('2026-12-03T12:00:00.000Z');

test('memberCredentialStatus computes expiry and shows a locked credential as revoked', () => {
  assert.equal(memberCredentialStatus('issued', '2026-12-03T12:00:01.000Z', NOW), 'issued');
  assert.equal(memberCredentialStatus('issued', '2026-12-03T12:00:00.000Z', NOW), 'expired');
  assert.equal(memberCredentialStatus('redeemed', '2026-01-01T00:00:00.000Z', NOW), 'redeemed');
  assert.equal(memberCredentialStatus('revoked', '2027-01-01T00:00:00.000Z', NOW), 'revoked');
  assert.equal(memberCredentialStatus('locked', '2027-01-01T00:00:00.000Z', NOW), 'revoked');
});

test('credentialLink puts the credential in the fragment of redeem_url, replacing any fragment', () => {
  assert.equal(
    credentialLink('https://shop.example/r?x=1', 'a.b.c~d~'),
    'https://shop.example/r?x=1#clubpass=a.b.c~d~',
  );
  assert.equal(credentialLink('https://shop.example/r#old', 'a.b.c~'), 'https://shop.example/r#clubpass=a.b.c~');
  assert.equal(credentialLink(null, 'a.b.c~'), null);
});
