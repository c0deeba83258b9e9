import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { decodeCredential } from './decode-credential.js';
import { decodeBase64urlStrict, sha256Base64url } from './encoding.js';
import { issueCredential } from './issue-credential.js';
import { presentCredential } from './present-credential.js';
import { rejectsWithCode, throwsWithCode } from './test-support/assert-code.js';
import { clock } from './test-support/clock.js';
import {
  createTestClub,
  credentialClaims,
  holderJwk,
  issue,
  NONCE,
  ORIGIN,
  PERSONAL_DETAILS,
  present,
  type TestClub,
} from './test-support/club.js';
import type { DisclosedClaims } from './types.js';

let club: TestClub;
before(async () => {
  club = await createTestClub();
});

describe('issueCredential', () => {
  test('makes one disclosure per claim, each with a 128-bit salt and its digest in _sd, and nothing else', async () => {
    const decoded = decodeCredential(await issue(club));
    assert.deepEqual(decoded.header, { alg: 'EdDSA', typ: 'dc+sd-jwt', kid: club.issuer.kid });
    assert.deepEqual(Object.fromEntries(decoded.disclosures.map((d) => [d.name, d.value])), PERSONAL_DETAILS);
    const digests = await Promise.all(decoded.disclosures.map((d) => sha256Base64url(d.encoded)));
    assert.deepEqual([...(decoded.payload._sd as string[])].sort(), digests.sort());
    assert.equal(decoded.payload._sd_alg, 'sha-256');
    for (const d of decoded.disclosures) {
      const [salt] = JSON.parse(Buffer.from(d.encoded, 'base64url').toString()) as [string];
      assert.equal(decodeBase64urlStrict(salt).length, 16);
    }
    // The personal details travel only as disclosures, never in the signed payload.
    for (const name of Object.keys(PERSONAL_DETAILS)) assert.equal(name in decoded.payload, false, name);
  });

  test('two issues of the same claims share no salt and no digest', async () => {
    const a = decodeCredential(await issue(club)).payload._sd as string[];
    const b = decodeCredential(await issue(club)).payload._sd as string[];
    assert.equal(a.filter((d) => b.includes(d)).length, 0);
  });

  test('refuses a claim that is not disclosable, or one that is also visible', async () => {
    const claims = credentialClaims(holderJwk(club));
    const signer = club.issuer;
    const unknown = { ssn: '078-05-1120' } as unknown as DisclosedClaims;
    await rejectsWithCode(issueCredential({ signer, claims, disclosable: unknown }), 'invalid_request');
    const both = { ...claims, email: 'a@example.org' } as typeof claims;
    await rejectsWithCode(
      issueCredential({ signer, claims: both, disclosable: { email: 'a@example.org' } }),
      'invalid_request',
    );
  });

  test('skips claims given as undefined instead of disclosing "undefined"', async () => {
    const credential = await issue(club, { disclosable: { email: 'a@example.org', phone_number: undefined } });
    assert.deepEqual(
      decodeCredential(credential).disclosures.map((d) => d.name),
      ['email'],
    );
  });
});

describe('presentCredential', () => {
  test('keeps the chosen disclosures byte for byte and signs sd_hash over everything before the KB-JWT', async () => {
    const credential = await issue(club);
    const shown = await present(club, credential, { disclose: ['email', 'no_such_claim'] });
    const parts = shown.split('~');
    assert.equal(parts.length, 3);
    assert.ok(credential.split('~').includes(parts[1] as string));
    const kb = JSON.parse(Buffer.from(parts[2]?.split('.')[1] as string, 'base64url').toString());
    assert.equal(kb.sd_hash, await sha256Base64url(`${parts[0]}~${parts[1]}~`));
    assert.deepEqual({ aud: kb.aud, nonce: kb.nonce }, { aud: ORIGIN, nonce: NONCE });
  });

  test('a holder-bound credential without a key binding is holder_binding_required', async () => {
    await rejectsWithCode(
      presentCredential({ credential: await issue(club), disclose: [], keyBinding: null }),
      'holder_binding_required',
    );
  });

  test('a link credential with a key binding is invalid_request', async () => {
    const holder = { alg: club.holder.alg, privateKey: club.holder.privateKey };
    const keyBinding = { holder, origin: ORIGIN, nonce: NONCE, clock };
    await rejectsWithCode(
      presentCredential({ credential: await issue(club, { link: true }), disclose: [], keyBinding }),
      'invalid_request',
    );
  });
});

describe('decodeCredential', () => {
  test('refuses a presentation (a credential never carries a KB-JWT)', async () => {
    const shown = await present(club, await issue(club));
    throwsWithCode(() => decodeCredential(shown), 'malformed_credential');
  });

  test('refuses a disclosure that is not [salt, name, value]', async () => {
    const [jwt] = (await issue(club)).split('~');
    const bad = Buffer.from(JSON.stringify(['salt', 'email'])).toString('base64url');
    throwsWithCode(() => decodeCredential(`${jwt}~${bad}~`), 'invalid_disclosure');
  });
});
