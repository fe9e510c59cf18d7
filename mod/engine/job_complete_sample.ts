import type { Sample } from "../stats/sample.ts";
import type { TrackedJob } from "../tracker/job_record.ts";

/** The request type of the end-to-end job entries. */
export const JOB_COMPLETE = "Job Complete";

/**
 * The `Job Complete` sample of a job: named `<file>:<model>`, its response
 * time is from the job's start (its scheduled time in the open model, else
 * its send) to `endedAt`, its length the image size; a failure unless the
 * job ended SUCCESS. `timeoutNote` marks a job that never finished.
 *
 * @example
 * ```ts ignore
 * stats.record(jobCompleteSample(job, job.completedAt!));
 * ```
 */
export function jobCompleteSample(job: TrackedJob, endedAt: number, timeoutNote?: string): Sample {
  const status = job.record.status;
  const error = timeoutNote !== undefined
    ? `JobTimeout('${timeoutNote}')`
    : status === "SUCCESS"
    ? undefined
    : `JobFailed('Status: ${status}')`;
  return {
    type: JOB_COMPLETE,
    name: job.name,
    responseTimeMs: endedAt - job.startAt,
    length: job.record.size,
    ...(error !== undefined ? { error } : {}),
    at: endedAt,
  };
}
