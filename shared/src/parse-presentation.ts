import { decodeBase64urlStrict, decodeBase64urlText, decodeJsonObject, parseJson, utf8 } from './encoding.js';
import { ClubpassError } from './errors.js';

/** The largest credential or presentation accepted, in bytes (PROTOCOL.md §5 rule 1). */
export const MAX_PRESENTATION_BYTES = 16 * 1024;

/** A compact JWS split into its decoded parts. Nothing in it has been verified. */
export interface ParsedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** ASCII `header.payload`: the bytes the signature covers. */
  signingInput: string;
  signature: Uint8Array;
}

export interface ParsedDisclosure {
  encoded: string;
  /** The parsed JSON; its shape is checked later, by rule 10. */
  value: unknown;
}

/** A credential or presentation split at `~`, every segment strictly decoded. */
export interface ParsedPresentation {
  issuerJwt: ParsedJws;
  disclosures: ParsedDisclosure[];
  keyBinding: ParsedJws | null;
  /** Everything before the KB-JWT, including the last `~`: the input of `sd_hash`. */
  sdHashInput: string;
}

/** Splits a compact JWS `header.payload.signature`; an empty signature is well-formed here. */
export function parseCompactJws(token: string): ParsedJws {
  const segments = token.split('.');
  if (segments.length !== 3) throw new ClubpassError('malformed_credential', 'a JWT does not have three segments');
  const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];
  if (headerSegment === '' || payloadSegment === '') {
    throw new ClubpassError('malformed_credential', 'a JWT has an empty header or payload');
  }
  return {
    header: decodeJsonObject(headerSegment),
    payload: decodeJsonObject(payloadSegment),
    signingInput: `${headerSegment}.${payloadSegment}`,
    signature: decodeBase64urlStrict(signatureSegment),
  };
}

/**
 * Applies rules 1 and 2 of PROTOCOL.md §5: size, then the `jwt~(disclosure~)*(kb-jwt)?` shape with
 * strict base64url in every segment and JSON objects where objects belong.
 */
export function parsePresentation(presentation: unknown): ParsedPresentation {
  if (typeof presentation !== 'string') {
    throw new ClubpassError('malformed_credential', 'the presentation is not a string');
  }
  if (presentation.length > MAX_PRESENTATION_BYTES || utf8(presentation).length > MAX_PRESENTATION_BYTES) {
    throw new ClubpassError('too_large', `the presentation is over ${MAX_PRESENTATION_BYTES} bytes`);
  }
  const parts = presentation.split('~');
  if (parts.length < 2) throw new ClubpassError('malformed_credential', 'the presentation has no "~" separator');
  const last = parts[parts.length - 1] as string;
  const middle = parts.slice(1, -1);
  const issuerJwt = parseCompactJws(parts[0] as string);
  const disclosures = middle.map((encoded): ParsedDisclosure => {
    if (encoded === '') throw new ClubpassError('malformed_credential', 'the presentation has an empty disclosure');
    return { encoded, value: parseJson(decodeBase64urlText(encoded)) };
  });
  const keyBinding = last === '' ? null : parseCompactJws(last);
  return {
    issuerJwt,
    disclosures,
    keyBinding,
    sdHashInput: presentation.slice(0, presentation.length - last.length),
  };
}
