import type { Json } from './club-api.js';

function decodePart(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

/**
 * Reads a presentation (`jwt~disclosure~…~kb-jwt`, PROTOCOL.md §4) without verifying it: the
 * credential's payload, the names of the disclosed claims, and the KB-JWT's header and payload.
 */
export function readPresentation(presentation: string): {
  payload: Json;
  disclosed: string[];
  keyBinding: { header: Json; payload: Json } | null;
} {
  const parts = presentation.split('~');
  const jwt = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  const disclosures = parts.slice(1, -1).filter((s) => s !== '');
  const [kbHeader, kbPayload] = last.split('.');
  return {
    payload: decodePart(jwt.split('.')[1] ?? '') as Json,
    disclosed: disclosures.map((d) => (decodePart(d) as unknown[])[1] as string),
    keyBinding:
      last === '' ? null : { header: decodePart(kbHeader ?? '') as Json, payload: decodePart(kbPayload ?? '') as Json },
  };
}
