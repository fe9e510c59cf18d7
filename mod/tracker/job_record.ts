/**
 * One tracked job, with upstream's `job_status.json` record keys
 * (upstream-behaviour.md §6.1) and the tool's own bookkeeping.
 *
 * @example
 * ```ts
 * import { formatStartTime } from "./job_record.ts";
 * formatStartTime(new Date(2025, 11, 9, 10, 44, 51)); // "12/09/2025/10:44:51"
 * ```
 * @module
 */

/** Statuses Model Runner publishes. */
export const JOB_STATUSES = ["STARTED", "IN_PROGRESS", "PARTIAL", "SUCCESS", "FAILED"] as const;
/** One of {@linkcode JOB_STATUSES}. */
export type JobStatusValue = typeof JOB_STATUSES[number];
/** Terminal statuses: the job is complete. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(["SUCCESS", "FAILED", "PARTIAL"]);

/** A `job_status.json` record (upstream keys, in upstream order). */
export interface JobStatusRecord {
  job_id: string;
  image_url: string;
  message_id: string;
  status: JobStatusValue;
  completed: boolean;
  size: number;
  pixels: number;
  start_time: string;
  processing_duration: number | null;
}

/** A tracked job: the record plus what the tool needs. */
export interface TrackedJob {
  record: JobStatusRecord;
  /** Locust entry name `<file>:<model>`. */
  name: string;
  /** Send time, ms since epoch. */
  submittedAt: number;
  /** Start of the job's latency: the scheduled time in the open model, else the send time. */
  startAt: number;
  /** When the terminal status arrived, ms since epoch. */
  completedAt?: number;
  /** Worker that submitted it (to wake a waiting user). */
  workerIndex: number;
  /** A user waits for it. */
  awaited: boolean;
  /** Set when the completion wait timed out with the job still open. */
  timedOut?: boolean;
}

/** Upstream's `start_time` format: `%m/%d/%Y/%H:%M:%S` in local time. */
export function formatStartTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(date.getMonth() + 1)}/${p(date.getDate())}/${date.getFullYear()}/${
    p(date.getHours())
  }:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}
