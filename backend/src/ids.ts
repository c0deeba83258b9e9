import { randomBase64url } from '@clubpass/shared';

/** Object id prefixes of PROTOCOL.md §1. */
export type IdPrefix = 'mem' | 'adm' | 'aff' | 'ben' | 'crd' | 'red' | 'inv' | 'key' | 'bil' | 'aud' | 'lfl';

/** A new opaque id: the type prefix and 128 random bits from the CSPRNG. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase64url(16)}`;
}
