import { isObject } from './encoding.js';
import { ClubpassError } from './errors.js';
import { parsePresentation } from './parse-presentation.js';

export interface DecodedDisclosure {
  name: string;
  value: unknown;
  /** The encoded segment, to be copied as is into a presentation. */
  encoded: string;
}

export interface DecodedCredential {
  issuerJwt: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  disclosures: DecodedDisclosure[];
}

/**
 * Splits a credential the holder keeps into its JWT and named disclosures, without verifying
 * anything: for showing it to the member and choosing what to present. Verification is
 * {@link verifyPresentation}'s job.
 */
export function decodeCredential(credential: string): DecodedCredential {
  const parsed = parsePresentation(credential);
  if (parsed.keyBinding !== null) throw new ClubpassError('malformed_credential', 'a credential carries no KB-JWT');
  const disclosures = parsed.disclosures.map(({ encoded, value }): DecodedDisclosure => {
    if (!Array.isArray(value) || value.length !== 3 || typeof value[1] !== 'string') {
      throw new ClubpassError('invalid_disclosure', 'a disclosure is not a [salt, name, value] array');
    }
    return { name: value[1], value: value[2], encoded };
  });
  if (!isObject(parsed.issuerJwt.payload)) throw new ClubpassError('malformed_credential', 'no payload');
  return {
    issuerJwt: credential.slice(0, credential.indexOf('~')),
    header: parsed.issuerJwt.header,
    payload: parsed.issuerJwt.payload,
    disclosures,
  };
}
