import { z } from 'zod';
import { decodeCursor, type Page, type PageRequest } from '../store/pagination.js';
import { parseInput } from './validate.js';

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(512).optional(),
});

/** Reads `?limit=` (1..200, default 50) and `?cursor=` (PROTOCOL.md §1). */
export function readPageRequest(query: unknown): PageRequest {
  const { limit, cursor } = parseInput(pageQuery.loose(), query, 'query');
  return { limit, after: cursor === undefined ? null : decodeCursor(cursor) };
}

/** The list envelope of PROTOCOL.md §1, with each item shaped by a presenter. */
export function presentPage<T, U>(page: Page<T>, present: (item: T) => U): { data: U[]; next_cursor: string | null } {
  return { data: page.items.map(present), next_cursor: page.nextCursor };
}
