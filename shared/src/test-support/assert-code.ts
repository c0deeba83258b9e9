import { ClubpassError, type ErrorCode } from '../errors.js';

// Plain Errors rather than node:assert: shared/src stays free of Node builtins outside *.test.ts
// (biome's noNodejsModules covers this folder too), and node:test fails a test on any throw.

/** Awaits `promise` and returns its ClubpassError, failing unless it rejects with exactly `code`. */
export async function rejectsWithCode(promise: Promise<unknown>, code: ErrorCode): Promise<ClubpassError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    if (!(error instanceof ClubpassError)) {
      throw new Error(`expected ClubpassError "${code}", got ${String(error)}`, { cause: error });
    }
    if (error.code !== code) {
      throw new Error(`expected ClubpassError "${code}", got "${error.code}": ${error.message}`, { cause: error });
    }
    return error;
  }
  throw new Error(`expected ClubpassError "${code}", but it resolved to ${JSON.stringify(result)?.slice(0, 200)}`);
}

/** The synchronous twin of {@link rejectsWithCode}. */
export function throwsWithCode(fn: () => unknown, code: ErrorCode): ClubpassError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ClubpassError && error.code === code) return error;
    throw new Error(`expected ClubpassError "${code}", got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected ClubpassError "${code}", but nothing was thrown`);
}
