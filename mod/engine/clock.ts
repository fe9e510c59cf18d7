/**
 * The run's clock, injected so timed logic can be tested without waiting:
 * wall time for timestamps, a monotonic time for intervals, and an abortable
 * sleep.
 *
 * @example
 * ```ts
 * import { systemClock } from "./clock.ts";
 * const before = systemClock.monotonic();
 * await systemClock.sleep(1, new AbortController().signal);
 * if (systemClock.monotonic() < before) throw new Error("monotonic time never goes back");
 * ```
 * @module
 */
import { abortableSleep } from "./abortable_sleep.ts";

/** Time as a run sees it. */
export interface Clock {
  /** Wall time, ms since the epoch (timestamps in outputs). */
  now(): number;
  /** Monotonic time in ms (intervals, deadlines). */
  monotonic(): number;
  /** Sleep `ms`, ending early (without error) when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: (ms, signal) => abortableSleep(ms, signal),
};
