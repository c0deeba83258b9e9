/** Test fixtures: a club with a real signing key, real credentials, a holder key. Node only. */
import {
  buildJwks,
  CREDENTIAL_TYPE,
  DIRECTORY_TYP,
  type DisclosedClaims,
  type GeneratedKeyPair,
  generateKeyPair,
  issueCredential,
  signClubJwt,
} from '@clubpass/shared';
import type { StoredCredential } from '../lib/credentials.js';

export const ISSUER = 'http://127.0.0.1:8080';
export const CLUB_URL = 'http://127.0.0.1:8080';
export const NOW = new Date('2026-06-01T12:00:00Z');
export const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
export const clock = { now: () => NOW };
export const AFF_SHOP = 'aff_shop0000000001';
export const AFF_CAFE = 'aff_cafe0000000001';
export const SHOP_ORIGIN = 'https://shop.example';
export const CAFE_ORIGIN = 'http://127.0.0.1:3001';

export const DETAILS: DisclosedClaims = {
  membership_number: 'CP-0000000018',
  given_name: 'Ada',
  family_name: 'Lovelace',
  email: 'ada@example.org',
  address: { street_address: '12 St James Square', locality: 'London', postal_code: 'SW1Y 4JH', country: 'GB' },
};

export interface TestClub {
  signer: GeneratedKeyPair;
  holder: GeneratedKeyPair;
  jwks: unknown;
}

export async function createClub(): Promise<TestClub> {
  const signer = await generateKeyPair('EdDSA', { extractable: false });
  const holder = await generateKeyPair('EdDSA', { extractable: false });
  return { signer, holder, jwks: await buildJwks([signer.publicJwk]) };
}

let counter = 0;

/** Issues a real credential and wraps it as the extension stores it. */
export async function storedCredential(
  club: TestClub,
  overrides: Partial<StoredCredential> & { aud?: string; exp?: number; details?: DisclosedClaims } = {},
): Promise<StoredCredential> {
  counter++;
  const aud = overrides.aud ?? AFF_SHOP;
  const exp = overrides.exp ?? NOW_SECONDS + 30 * 24 * 3600;
  const jti = `jti${String(counter).padStart(19, '0')}`;
  const benefit = {
    id: `ben_${counter}`,
    kind: 'product_discount' as const,
    title: `Offer ${counter}`,
    terms: { percent_off: 10 },
  };
  const credential = await issueCredential({
    signer: club.signer,
    claims: {
      iss: ISSUER,
      aud,
      sub: 'pw_sub',
      jti,
      iat: NOW_SECONDS - 60,
      exp,
      vct: CREDENTIAL_TYPE,
      benefit,
      billing_ref: `BR-${counter}`,
      cnf: { jwk: club.holder.publicJwk },
    },
    disclosable: overrides.details ?? DETAILS,
  });
  const { details: _details, ...rest } = overrides;
  return {
    id: `crd_${String(counter).padStart(12, '0')}`,
    credential,
    memberId: 'mem_000000000001',
    issuer: ISSUER,
    aud,
    jti,
    exp,
    nbf: null,
    holderBound: true,
    benefit,
    affiliate: { id: aud, name: aud === AFF_SHOP ? 'Shop' : 'Cafe' },
    requires: [],
    status: 'issued',
    redeemedAt: null,
    receipt: null,
    obtainedAt: NOW.toISOString(),
    ...rest,
  };
}

/** A signed directory token as the club serves it. */
export async function directoryToken(
  club: TestClub,
  payload: Record<string, unknown> = {},
  typ: string = DIRECTORY_TYP,
): Promise<string> {
  return signClubJwt(club.signer, typ, {
    iss: ISSUER,
    iat: NOW_SECONDS,
    exp: NOW_SECONDS + 3600,
    affiliates: [
      { id: AFF_SHOP, name: 'Shop', origins: [SHOP_ORIGIN] },
      { id: AFF_CAFE, name: 'Cafe', origins: [CAFE_ORIGIN] },
    ],
    ...payload,
  });
}
