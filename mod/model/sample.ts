/**
 * What a virtual user emits: one sample per request it made (Locust's request
 * event), and exception reports for errors raised outside a request.
 * Users never aggregate; workers batch samples into deltas (see `delta.ts`).
 *
 * @example
 * ```ts
 * import type { Sample } from "./sample.ts";
 * const sample: Sample = {
 *   type: "Submit Image",
 *   name: "small.tif:centerpoint",
 *   responseTimeMs: 12.5,
 *   length: 1048576,
 *   at: Date.now(),
 * };
 * ```
 * @module
 */

/** One request outcome, as Locust's `request` event carries it. */
export interface Sample {
  /** Locust's request_type / method, e.g. `Submit Image`, `Process Image`, `Job Complete`. */
  type: string;
  /** Entry name, e.g. `small.tif:centerpoint`. */
  name: string;
  /** Response time in milliseconds; a non-finite value is a request without one (Locust's `None`). */
  responseTimeMs: number;
  /**
   * True when the response time is a Python int rather than a float. Python
   * keeps the difference and it shows in Locust's Min/Max cells (`11647` vs
   * `11647.0`); absent means a float, which is what measured times are.
   * Recorded streams (`scripts/replay_stats.ts`) set it for integer samples.
   */
  responseTimeIsInt?: boolean;
  /** Response length (for `Submit Image`, the image size in bytes). */
  length: number;
  /** Present when the request failed: the error text as it goes into `_failures.csv`. */
  error?: string;
  /** When the request ended, in ms since the Unix epoch. */
  at: number;
  /**
   * The same instant in Unix seconds, when the source has it exactly (a
   * replayed Python stream: `time.time()`); otherwise `at / 1000` is used. The
   * statistics count time in seconds, as Locust does, and not every float of
   * seconds can be written as a float of milliseconds.
   */
  atSeconds?: number;
}

/** An error raised outside a request (Locust's `user_error`): goes to `_exceptions.csv`. */
export interface ExceptionReport {
  /** The error message (`str(exception)`). */
  message: string;
  /** The formatted stack trace. */
  traceback: string;
  /** Node id; `local` in a single-process run. */
  node: string;
  /** When it happened, in ms since the Unix epoch. */
  at: number;
}
