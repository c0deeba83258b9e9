import type { Clock } from '@clubpass/shared';

/** The wall clock, for production. Tests pass a frozen or stepped clock instead. */
export function systemClock(): Clock {
  return { now: () => new Date() };
}

/** A clock tests can freeze and move by hand. */
export interface ManualClock extends Clock {
  set(at: Date | string): void;
  advance(seconds: number): void;
}

/** Creates a {@link ManualClock} starting at `start`. */
export function manualClock(start: Date | string): ManualClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (seconds) => {
      current = new Date(current.getTime() + seconds * 1000);
    },
  };
}

/** Seconds since the epoch, as JWT NumericDate. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now().getTime() / 1000);
}

/** RFC 3339 in UTC, without milliseconds, as the HTTP API shows times (PROTOCOL.md §1). */
export function rfc3339(value: Date | string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
