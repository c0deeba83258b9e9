import { generateKeyPairSync, sign, verify } from 'node:crypto';
import {
  buildJwks,
  type Clock,
  generateKeyPair,
  importJwks,
  issueCredential,
  presentCredential,
  randomBase64url,
  verifyPresentation,
} from '@clubpass/shared';

const NOW = new Date('2026-12-03T12:00:00Z');
const clock: Clock = { now: () => NOW };
const t = Math.floor(NOW.getTime() / 1000);
const ISSUER = 'https://club.bench';
const ORIGIN = 'https://shop.bench';

/** One benchmark case: set up once, then an operation to repeat. */
export type Case = () => Promise<() => unknown>;

async function fixture() {
  const issuer = await generateKeyPair('EdDSA', { extractable: false });
  const holder = await generateKeyPair('EdDSA', { extractable: false });
  const keys = await importJwks(await buildJwks([issuer.publicJwk]));
  const issue = () =>
    issueCredential({
      signer: issuer,
      claims: {
        iss: ISSUER,
        aud: 'aff_bench',
        sub: 'sub',
        jti: randomBase64url(16),
        iat: t,
        exp: t + 3600,
        vct: 'urn:clubpass:benefit:1',
        benefit: { id: 'ben_1', kind: 'product_discount', title: '10% off', terms: { percent_off: 10 } },
        billing_ref: 'BR-1',
        cnf: { jwk: holder.publicJwk },
      },
      disclosable: {
        membership_number: 'CP-1234567897',
        given_name: 'Ada',
        family_name: 'Lovelace',
        email: 'ada@example.com',
        address: { street_address: '1 Main St', locality: 'Berlin', postal_code: '10115', country: 'DE' },
      },
    });
  const credential = await issue();
  const present = () =>
    presentCredential({
      credential,
      disclose: ['address', 'given_name'],
      keyBinding: { holder, origin: ORIGIN, nonce: 'nonce-1', clock },
    });
  const presentation = await present();
  const verifyIt = () =>
    verifyPresentation(presentation, {
      keys,
      issuer: ISSUER,
      audience: 'aff_bench',
      origin: ORIGIN,
      nonce: 'nonce-1',
      clock,
    });
  return { issue, present, verifyIt };
}

const raw = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // About the size of a credential's signing input.
  const data = Buffer.alloc(700, 7);
  const signature = sign(null, data, privateKey);
  return { sign: () => sign(null, data, privateKey), verify: () => verify(null, data, publicKey, signature) };
};

/** The cases, by name, so worker threads can run the same ones. */
export const CASES: Record<string, Case> = {
  'raw sign': async () => raw().sign,
  'raw verify': async () => raw().verify,
  issue: async () => (await fixture()).issue,
  present: async () => (await fixture()).present,
  verify: async () => (await fixture()).verifyIt,
};
