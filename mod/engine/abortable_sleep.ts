/**
 * Sleep `ms` milliseconds, ending early (without error) when `signal` aborts.
 *
 * @example
 * ```ts
 * import { abortableSleep } from "./abortable_sleep.ts";
 * const stop = new AbortController();
 * const sleeping = abortableSleep(60_000, stop.signal);
 * stop.abort();
 * await sleeping; // resolves at once, without an error
 * ```
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
