/**
 * One tracked job, with upstream's `job_status.json` record keys
 * (docs/compatibility.md#job-record) and the tool's own bookkeeping.
 *
 * `start_time` is written with formatStartTime (mod/log/local_time.ts).
 *
 * @example
 * ```ts
 * import { TERMINAL_STATUSES } from "./job_record.ts";
 * if (!TERMINAL_STATUSES.has("PARTIAL")) throw new Error("PARTIAL is terminal");
 * ```
 * @module
 */

/** Statuses Model Runner publishes. */
export const JOB_STATUSES = ["STARTED", "IN_PROGRESS", "PARTIAL", "SUCCESS", "FAILED"] as const;
/** One of {@linkcode JOB_STATUSES}. */
export type JobStatusValue = typeof JOB_STATUSES[number];
/** Terminal statuses: the job is complete. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(["SUCCESS", "FAILED", "PARTIAL"]);

/**
 * True for one of the five statuses Model Runner publishes.
 *
 * @example
 * ```ts
 * import { isJobStatus } from "./job_record.ts";
 * if (!isJobStatus("IN_PROGRESS") || isJobStatus("DONE")) throw new Error("unexpected");
 * ```
 */
export function isJobStatus(status: string): status is JobStatusValue {
  return (JOB_STATUSES as readonly string[]).includes(status);
}

/** A `job_status.json` record (upstream keys, in upstream order). */
export interface JobStatusRecord {
  job_id: string;
  image_url: string;
  message_id: string;
  status: JobStatusValue;
  completed: boolean;
  size: number;
  /** Width × height; null when the image's header could not be read (unknown, not 0). */
  pixels: number | null;
  start_time: string;
  /** Seconds (always written with a decimal point, as upstream's float), or null while open. */
  processing_duration: number | null;
}

/** A tracked job: the record plus what the tool needs. */
export interface TrackedJob {
  record: JobStatusRecord;
  /** Locust entry name `<file>:<model>`. */
  name: string;
  /** When the send of the current attempt began, ms since epoch. */
  submittedAt: number;
  /**
   * Start of the job's latency: when the send began, or the scheduled time in the open model
   * when that is earlier. The status of a job cannot arrive before its send began, so latency
   * measured from here is never negative.
   */
  startAt: number;
  /** Which send of this image id the record follows (1, then 2 and 3 for PARTIAL retries). */
  attempt: number;
  /** When the terminal status arrived, ms since epoch. */
  completedAt?: number;
  /** Worker that submitted it (to wake a waiting user). */
  workerIndex: number;
  /** A user waits for it. */
  awaited: boolean;
  /** Set when the completion wait timed out with the job still open. */
  timedOut?: boolean;
}
