import { CompactSign } from 'jose';
import { createDisclosure, shuffle } from './disclosure.js';
import { utf8 } from './encoding.js';
import { ClubpassError } from './errors.js';
import {
  CREDENTIAL_TYP,
  type CredentialClaims,
  DISCLOSABLE_CLAIMS,
  type DisclosableClaim,
  type DisclosedClaims,
  SD_ALG,
  type SigningKey,
} from './types.js';

export interface IssueCredentialInput {
  /** The club's signing key; its `kid` and `alg` go into the header. */
  signer: SigningKey;
  /** The always-visible claims (PROTOCOL.md §3). */
  claims: CredentialClaims;
  /** Personal details to make selectively disclosable, one disclosure each. */
  disclosable: DisclosedClaims;
}

/**
 * Issues a Clubpass credential: an SD-JWT (RFC 9901) in compact form, `<jwt>~<disclosure>~...~`.
 * Each disclosable claim gets a 128-bit CSPRNG salt; `_sd` digests are in random order.
 */
export async function issueCredential(input: IssueCredentialInput): Promise<string> {
  const { signer, claims, disclosable } = input;
  const names = Object.keys(disclosable).filter(
    (name) => disclosable[name as DisclosableClaim] !== undefined,
  ) as DisclosableClaim[];
  for (const name of names) {
    if (!(DISCLOSABLE_CLAIMS as readonly string[]).includes(name)) {
      throw new ClubpassError('invalid_request', `"${name}" is not a disclosable claim`);
    }
    if (Object.hasOwn(claims, name)) {
      throw new ClubpassError('invalid_request', `"${name}" cannot be both visible and disclosable`);
    }
  }
  const disclosures = await Promise.all(names.map((name) => createDisclosure(name, disclosable[name])));
  const payload = {
    ...claims,
    _sd: shuffle(disclosures.map((d) => d.digest)),
    _sd_alg: SD_ALG,
  };
  const jwt = await new CompactSign(utf8(JSON.stringify(payload)))
    .setProtectedHeader({ alg: signer.alg, typ: CREDENTIAL_TYP, kid: signer.kid })
    .sign(signer.privateKey);
  return `${jwt}~${shuffle(disclosures)
    .map((d) => `${d.encoded}~`)
    .join('')}`;
}
