import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ackMessage,
  isPartnerCheck,
  normalizeDisclose,
  PARTNER_CHECK,
  parsePageRequest,
  parsePresentRequest,
  parseRpc,
  responseMessage,
} from './messages.js';

const ID = '0123456789abcdef0123456789abcdef';
const valid = { clubpass: 1, type: 'request', id: ID, affiliate: 'aff_x', nonce: 'n0nce', disclose: ['email'] };

describe('parsePageRequest', () => {
  it('reads the snippet’s request message', () => {
    assert.deepEqual(parsePageRequest(valid), { id: ID, nonce: 'n0nce', disclose: ['email'] });
  });

  it('keeps only disclosable claim names, once each, in protocol order', () => {
    assert.deepEqual(
      parsePageRequest({ ...valid, disclose: ['address', 'email', 'password', 'email', '__proto__'] })?.disclose,
      ['email', 'address'],
    );
    assert.deepEqual(normalizeDisclose([]), []);
  });

  it('ignores everything else', () => {
    const bad: unknown[] = [
      null,
      'request',
      [],
      { ...valid, clubpass: 2 },
      { ...valid, clubpass: '1' },
      { ...valid, type: 'ack' },
      { ...valid, type: 'response' },
      { ...valid, id: 'short' },
      { ...valid, id: ID.toUpperCase() },
      { ...valid, id: 42 },
      { ...valid, nonce: '' },
      { ...valid, nonce: 5 },
      { ...valid, nonce: 'x'.repeat(513) },
      { ...valid, disclose: 'email' },
      { ...valid, disclose: [1] },
      { ...valid, disclose: Array(33).fill('email') },
      { ...valid, disclose: undefined },
    ];
    for (const message of bad) assert.equal(parsePageRequest(message), null, JSON.stringify(message));
  });
});

describe('page replies', () => {
  it('follow docs/snippet-messages.md', () => {
    assert.deepEqual(ackMessage(ID), { clubpass: 1, type: 'ack', id: ID });
    assert.deepEqual(responseMessage(ID, { presentation: 'a~b~c' }), {
      clubpass: 1,
      type: 'response',
      id: ID,
      presentation: 'a~b~c',
    });
    for (const answer of [{ error: 'unavailable' }, { presentation: '' }, { presentation: 1 }, null, undefined, 'x']) {
      assert.deepEqual(responseMessage(ID, answer), { clubpass: 1, type: 'response', id: ID, error: 'unavailable' });
    }
  });
});

describe('content script messages', () => {
  it('recognizes the partner check and validates forwarded requests', () => {
    assert.equal(isPartnerCheck({ type: PARTNER_CHECK }), true);
    assert.equal(isPartnerCheck({ type: 'other' }), false);
    assert.deepEqual(parsePresentRequest({ type: 'present', id: ID, nonce: 'n', disclose: ['email', 'x'] }), {
      type: 'present',
      id: ID,
      nonce: 'n',
      disclose: ['email'],
    });
    assert.equal(parsePresentRequest({ type: 'present', id: 'x', nonce: 'n', disclose: [] }), null);
    assert.equal(parsePresentRequest({ type: 'request', id: ID, nonce: 'n', disclose: [] }), null);
  });
});

describe('parseRpc', () => {
  it('accepts the known requests with their arguments', () => {
    assert.deepEqual(parseRpc({ rpc: 'state' }), { rpc: 'state' });
    assert.deepEqual(parseRpc({ rpc: 'signIn', email: 'a', password: 'b', extra: 1 }), {
      rpc: 'signIn',
      email: 'a',
      password: 'b',
    });
    assert.deepEqual(parseRpc({ rpc: 'consent:decide', requestId: 'r', decision: { share: false } }), {
      rpc: 'consent:decide',
      requestId: 'r',
      decision: { share: false },
    });
    assert.deepEqual(
      parseRpc({
        rpc: 'consent:decide',
        requestId: 'r',
        decision: { share: true, credentialId: 'c', disclose: ['email'] },
      })?.rpc,
      'consent:decide',
    );
  });

  it('refuses unknown or malformed requests', () => {
    for (const bad of [
      null,
      { rpc: 'deleteEverything' },
      { rpc: 'signIn', email: 'a' },
      { rpc: 'getCredential' },
      { rpc: 'consent:decide', requestId: 'r', decision: { share: true } },
      { rpc: 'consent:decide', requestId: 'r', decision: { share: true, credentialId: 'c', disclose: [1] } },
      { rpc: 'consent:get' },
      { rpc: 'toString' },
      { type: PARTNER_CHECK },
    ]) {
      assert.equal(parseRpc(bad), null, JSON.stringify(bad));
    }
  });
});
