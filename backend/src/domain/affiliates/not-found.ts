import { ClubpassError } from '@clubpass/shared';

/** 404 `not_found` for an admin-visible object, naming the id the admin asked for. */
export function notFoundError(what: string, id: string): ClubpassError {
  return new ClubpassError('not_found', `${what} ${JSON.stringify(id)} was not found`);
}
