/**
 * Sleep `ms` milliseconds, ending early (without error) when `signal` aborts.
 *
 * @example
 * ```ts
 * import { abortableSleep } from "./abortable_sleep.ts";
 * await abortableSleep(10, new AbortController().signal);
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
