import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SDJwtInstance } from '@sd-jwt/core';
import type { JwtPayload } from '@sd-jwt/types';
import { decodeCredential } from './decode-credential.js';
import { rejectsWithCode } from './test-support/assert-code.js';
import { NOW_SECONDS } from './test-support/clock.js';
import {
  createTestClub,
  credentialClaims,
  holderJwk,
  ISSUER,
  issue,
  JTI,
  NONCE,
  ORIGIN,
  PERSONAL_DETAILS,
  present,
  type TestClub,
  verifyOptions,
} from './test-support/club.js';
import { verifyPresentation } from './verify-presentation.js';

// Interop with an independent SD-JWT implementation, OpenWallet Foundation's @sd-jwt/core,
// given only WebCrypto primitives. It checks the issuer signature, the disclosure digests, the
// KB-JWT signature against cnf.jwk, the nonce and sd_hash; it does not check aud, typ or our claims.

const b64u = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(new Uint8Array(bytes)).toString('base64url');
const utf8 = (text: string) => new TextEncoder().encode(text);
const params = (alg: string) => (alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' });

async function sha256(data: string | ArrayBuffer, alg: string): Promise<Uint8Array> {
  if (alg !== 'sha-256') throw new Error(`unexpected hash algorithm ${alg}`);
  const bytes = typeof data === 'string' ? utf8(data) : new Uint8Array(data);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

function peerFor(club: TestClub, holderKey: CryptoKey = club.holder.privateKey) {
  return new SDJwtInstance<Record<string, unknown>>({
    hasher: sha256,
    hashAlg: 'sha-256',
    saltGenerator: (length) => b64u(crypto.getRandomValues(new Uint8Array(length))),
    signAlg: club.issuer.alg,
    signer: async (data) => b64u(await crypto.subtle.sign(params(club.issuer.alg), club.issuer.privateKey, utf8(data))),
    verifier: async (data, signature) =>
      crypto.subtle.verify(
        params(club.issuer.alg),
        club.issuer.publicKey,
        Buffer.from(signature, 'base64url'),
        utf8(data),
      ),
    kbSignAlg: club.holder.alg,
    kbSigner: async (data) => b64u(await crypto.subtle.sign(params(club.holder.alg), holderKey, utf8(data))),
    // The peer hands over the verified issuer payload: the holder key comes from its cnf, nowhere else.
    kbVerifier: async (data, signature, payload: JwtPayload) => {
      const jwk = payload.cnf?.jwk;
      if (jwk === undefined) return false;
      const alg = jwk.kty === 'EC' ? 'ES256' : 'EdDSA';
      const curve = alg === 'ES256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'Ed25519' };
      const key = await crypto.subtle.importKey('jwk', jwk, curve, false, ['verify']);
      return crypto.subtle.verify(params(alg), key, Buffer.from(signature, 'base64url'), utf8(data));
    },
  });
}

const peerVerifyOptions = { keyBindingNonce: NONCE, currentDate: NOW_SECONDS };

for (const alg of ['EdDSA', 'ES256'] as const) {
  describe(`${alg}: Clubpass → @sd-jwt/core`, () => {
    test('a presentation by issueCredential + presentCredential verifies, KB-JWT and sd_hash included', async () => {
      const club = await createTestClub({ issuerAlg: alg, holderAlg: alg });
      const shown = await present(club, await issue(club));
      const result = await peerFor(club).verify(shown, {
        ...peerVerifyOptions,
        requiredClaimKeys: ['email', 'address'],
      });
      const claims = result.payload as Record<string, unknown>;
      assert.equal(claims.email, PERSONAL_DETAILS.email);
      assert.deepEqual(claims.address, PERSONAL_DETAILS.address);
      assert.equal(claims.given_name, undefined, 'an undisclosed claim leaked');
      assert.equal(claims.iss, ISSUER);
      assert.equal(claims.jti, JTI);
      const prefix = shown.slice(0, shown.lastIndexOf('~') + 1);
      assert.ok(result.kb);
      assert.equal(result.kb.payload.sd_hash, b64u(await sha256(prefix, 'sha-256')));
      assert.equal(result.kb.payload.aud, ORIGIN);
      assert.equal(result.kb.header.typ, 'kb+jwt');
      assert.equal(result.header?.typ, 'dc+sd-jwt');
      // The same presentation through our verifier discloses exactly what the peer saw.
      const ours = await verifyPresentation(shown, verifyOptions(club));
      assert.deepEqual(ours.disclosed, { email: claims.email, address: claims.address });
    });

    test('the peer reads every disclosure of a credential as the claim it was issued for', async () => {
      const club = await createTestClub({ issuerAlg: alg, holderAlg: alg });
      const claims = (await peerFor(club).getClaims(await issue(club))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(PERSONAL_DETAILS)) assert.deepEqual(claims[name], value, name);
    });

    test('control: the peer refuses a KB-JWT by another key and a tampered payload', async () => {
      const club = await createTestClub({ issuerAlg: alg, holderAlg: alg });
      const stranger = await createTestClub({ holderAlg: alg });
      const credential = await issue(club);
      const wrongHolder = await present(club, credential, { signWith: stranger.holder });
      await assert.rejects(peerFor(club).verify(wrongHolder, peerVerifyOptions), /Signature/i);
      const shown = await present(club, credential);
      const [header, payload] = (shown.split('~')[0] as string).split('.') as [string, string];
      const changed = b64u(utf8(Buffer.from(payload, 'base64url').toString().replace(JTI, 'A'.repeat(22))));
      const tampered = shown.replace(`${header}.${payload}.`, `${header}.${changed}.`);
      assert.notEqual(tampered, shown);
      await assert.rejects(peerFor(club).verify(tampered, peerVerifyOptions), /Signature/i);
    });
  });

  describe(`${alg}: @sd-jwt/core → Clubpass`, () => {
    async function peerIssued(club: TestClub) {
      const peer = peerFor(club);
      const payload = {
        ...(credentialClaims(holderJwk(club)) as unknown as Record<string, unknown>),
        ...PERSONAL_DETAILS,
      };
      const credential = await peer.issue(
        payload,
        { _sd: ['membership_number', 'given_name', 'family_name', 'email', 'phone_number', 'address'] },
        { header: { typ: 'dc+sd-jwt', kid: club.issuer.kid } },
      );
      return { peer, credential };
    }

    test('an SD-JWT+KB issued and presented by the peer verifies with the same disclosed claims', async () => {
      const club = await createTestClub({ issuerAlg: alg, holderAlg: alg });
      const { peer, credential } = await peerIssued(club);
      const decoded = decodeCredential(credential);
      assert.deepEqual(decoded.header, { typ: 'dc+sd-jwt', kid: club.issuer.kid, alg });
      assert.deepEqual(decoded.disclosures.map((d) => d.name).sort(), Object.keys(PERSONAL_DETAILS).sort());

      const kb = { payload: { iat: NOW_SECONDS, aud: ORIGIN, nonce: NONCE } };
      const shown = await peer.present(credential, { email: true, address: true }, { kb });
      const ours = await verifyPresentation(shown, verifyOptions(club));
      assert.deepEqual(ours.disclosed, { email: PERSONAL_DETAILS.email, address: PERSONAL_DETAILS.address });
      assert.deepEqual(ours.keyBinding, { iat: NOW_SECONDS, aud: ORIGIN, nonce: NONCE });
      assert.equal(ours.jti, JTI);
      assert.deepEqual(ours.cnf, { jwk: holderJwk(club) });
      const theirs = (await peer.verify(shown, peerVerifyOptions)).payload as Record<string, unknown>;
      assert.deepEqual({ email: theirs.email, address: theirs.address }, ours.disclosed);
    });

    test('a peer presentation for another nonce or origin, or by another holder key, is refused', async () => {
      const club = await createTestClub({ issuerAlg: alg, holderAlg: alg });
      const { peer, credential } = await peerIssued(club);
      const kb = (nonce: string, aud: string) => ({ kb: { payload: { iat: NOW_SECONDS, aud, nonce } } });
      const otherNonce = await peer.present(credential, { email: true }, kb('other', ORIGIN));
      await rejectsWithCode(verifyPresentation(otherNonce, verifyOptions(club)), 'nonce_mismatch');
      const otherOrigin = await peer.present(credential, { email: true }, kb(NONCE, 'https://evil.example'));
      await rejectsWithCode(verifyPresentation(otherOrigin, verifyOptions(club)), 'origin_mismatch');
      const stranger = await createTestClub({ holderAlg: alg });
      const thief = peerFor(club, stranger.holder.privateKey);
      const stolen = await thief.present(credential, { email: true }, kb(NONCE, ORIGIN));
      await rejectsWithCode(verifyPresentation(stolen, verifyOptions(club)), 'invalid_key_binding');
    });
  });
}
