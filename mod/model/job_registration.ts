/**
 * A job a user submitted, as the user worker reports it to the main thread's tracker.
 *
 * @example
 * ```ts
 * import type { JobRegistration } from "./job_registration.ts";
 * const job: JobRegistration = {
 *   imageId: "j1:s3://images/a.tif", jobId: "j1", imageUrl: "s3://images/a.tif", messageId: "m1",
 *   size: 10, pixels: null, submittedAt: 0, name: "a.tif:centerpoint", awaited: false,
 * };
 * if (job.pixels !== null) throw new Error("unknown pixels are null");
 * ```
 * @module
 */

/** A job a user submitted, for the tracker. */
export interface JobRegistration {
  imageId: string;
  jobId: string;
  imageUrl: string;
  messageId: string;
  size: number;
  /** Width × height from the image header; null when the header could not be read. */
  pixels: number | null;
  /**
   * When the send BEGAN (ms since epoch, taken just before SendMessage): the job's start. Job
   * latency, `start_time` and the fallback `processing_duration` count from it. Not when the
   * send returned: against a fast Model Runner the job's status can arrive before that.
   */
  submittedAt: number;
  /**
   * Which send of this image id this is: 1 (the default) for the first, 2 and 3 for a waiting
   * user's PARTIAL retries, which resend the same body. A higher attempt starts the job afresh
   * in the tracker; an equal or lower one is a duplicate registration and changes nothing.
   */
  attempt?: number;
  /** Locust entry name `<file>:<model>`. */
  name: string;
  /** True when the user waits for this job (the main thread then reports it done). */
  awaited: boolean;
  /** Open model: when the submission was scheduled (ms since epoch); latency counts from it. */
  scheduledAt?: number;
}
