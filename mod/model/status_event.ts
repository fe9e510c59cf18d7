/**
 * One parsed Model Runner status message, as the status monitor hands it to the tracker.
 *
 * @example
 * ```ts
 * import type { StatusEvent } from "./status_event.ts";
 * const event: StatusEvent = {
 *   imageId: "j1:s3://images/a.tif", jobId: "j1", status: "SUCCESS", durationS: 1.5, receivedAt: 0,
 * };
 * if (event.durationS !== 1.5) throw new Error("seconds");
 * ```
 * @module
 */

/** One parsed status message. */
export interface StatusEvent {
  imageId: string;
  jobId: string;
  status: string;
  /** Seconds, or null when absent, ≤ 0 or not numeric. */
  durationS: number | null;
  /** When the monitor received it (ms since epoch). */
  receivedAt: number;
  /**
   * When SNS published it (the envelope's `Timestamp`, AWS's clock), when known. A job's
   * completion time is this, bounded by its send start and `receivedAt`, so the monitor's
   * polling rhythm does not add to job latency.
   */
  publishedAt?: number;
}
