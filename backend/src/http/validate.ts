import { ClubpassError } from '@clubpass/shared';
import type { z } from 'zod';

/**
 * Checks untrusted input against a zod schema at the HTTP edge. Failure is 400 `invalid_request`
 * with one `{ path, message }` per problem, so a client can show them beside its fields.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ClubpassError('invalid_request', `the ${where} is not valid`, {
    errors: result.error.issues.flatMap((issue) => {
      // An unknown member is reported at its own path ("nickname", "address.floor"), one per key,
      // rather than once for the object that holds it.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({
          path: [...issue.path, key].join('.'),
          message: 'this field is not allowed',
        }));
      }
      return [{ path: issue.path.length > 0 ? issue.path.join('.') : where, message: issue.message }];
    }),
  });
}
