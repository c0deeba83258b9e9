import { ClubpassError, decodeBase64urlStrict, encodeBase64url } from '@clubpass/shared';
import { type SelectQueryBuilder, sql } from 'kysely';

/** A page of a list (PROTOCOL.md §1): the items and the cursor of the next page, if any. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Where a list page starts: after the row with this sort key and id. Lists sort by (time, id). */
export interface PageRequest {
  limit: number;
  after: { at: string; id: string } | null;
}

/** Encodes the position after `row` as an opaque cursor. */
export function encodeCursor(at: string, id: string): string {
  return encodeBase64url(JSON.stringify([at, id]));
}

/** Decodes a cursor from the query string; anything not made by {@link encodeCursor} is a 400. */
export function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const value = JSON.parse(new TextDecoder().decode(decodeBase64urlStrict(cursor, 'invalid_request'))) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { at: value[0], id: value[1] };
    }
  } catch {
    // fall through to the one error below
  }
  throw new ClubpassError('invalid_request', 'the cursor is not valid', {
    errors: [{ path: 'cursor', message: 'use the next_cursor value of the previous page' }],
  });
}

/** Builds a page from rows fetched with `limit + 1`, so the extra row tells whether more exist. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  key: (row: R) => { at: string; id: string },
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  const lastKey = last === undefined ? null : key(last);
  return { items: kept.map(map), nextCursor: more && lastKey ? encodeCursor(lastKey.at, lastKey.id) : null };
}

/**
 * Keyset pagination, newest first: the rows after the cursor in (time, id) order, at most
 * `limit + 1` of them (the extra row tells {@link toPage} whether a next page exists). The
 * row-value comparison lets SQLite and PostgreSQL seek a (…, time, id) index straight to the cursor,
 * so a page costs the same however deep it is.
 *
 * @param columns the sort columns, qualified when the query joins (`credentials.issued_at`).
 */
export function newestFirst<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: PageRequest,
  columns: { at: string; id: string },
): SelectQueryBuilder<DB, TB, O> {
  const at = sql.ref(columns.at);
  const id = sql.ref(columns.id);
  const after = page.after;
  const seeked = after === null ? query : query.where(sql<boolean>`(${at}, ${id}) < (${after.at}, ${after.id})`);
  return seeked
    .orderBy(at, 'desc')
    .orderBy(id, 'desc')
    .limit(page.limit + 1);
}
