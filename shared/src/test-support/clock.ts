import type { Clock } from '../types.js';

/** The instant every test runs at, so expiry and skew boundaries land on exact seconds. */
export const NOW = new Date('2026-12-03T12:00:00Z');
export const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

export const clock: Clock = { now: () => NOW };

/** A frozen clock `offsetSeconds` away from {@link NOW}. */
export function clockAt(offsetSeconds: number): Clock {
  const at = new Date(NOW.getTime() + offsetSeconds * 1000);
  return { now: () => at };
}
