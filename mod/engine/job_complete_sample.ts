import type { Sample } from "../model/sample.ts";
import type { TrackedJob } from "../model/job_record.ts";
import type { StatsAggregator } from "../stats/aggregator.ts";

/** The request type of the end-to-end job entries. */
export const JOB_COMPLETE = "Job Complete";

/**
 * The `Job Complete` sample of a job (of its current attempt): named
 * `<file>:<model>`, its response time is from the job's start to `endedAt`,
 * its length the image size; a failure unless the job ended SUCCESS (see
 * mod/tracker/job_outcome.ts). `timeoutNote` marks a job that never finished.
 *
 * The start is when the send BEGAN (in the open model: the scheduled time,
 * when earlier), not when it returned: a fast Model Runner's status can
 * arrive before SendMessage returns, and latency measured from the return
 * came out negative. A status cannot arrive before its send began, so this
 * response time is never negative.
 *
 * @example
 * ```ts
 * import { jobCompleteSample } from "./job_complete_sample.ts";
 * import { JobTracker } from "../tracker/job_tracker.ts";
 * const tracker = new JobTracker();
 * tracker.register({ imageId: "j:s3://b/a.tif", jobId: "j", imageUrl: "s3://b/a.tif",
 *   messageId: "m", size: 10, pixels: 4, submittedAt: 1_000, name: "a.tif:m", awaited: false }, 0);
 * tracker.update({ imageId: "j:s3://b/a.tif", jobId: "j", status: "SUCCESS", durationS: 1,
 *   receivedAt: 1_005 });
 * const job = tracker.get("j:s3://b/a.tif")!;
 * if (jobCompleteSample(job, job.completedAt!).responseTimeMs !== 5) throw new Error();
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

/**
 * The `Job Complete` entries' totals (requests and failures over every `<file>:<model>` name),
 * to check the job invariants with (`jobInvariantViolations(tracker.statistics(), totals)` in
 * mod/tracker/job_invariants.ts). Only meaningful while the statistics were never reset (a
 * "Reset stats" clears the entries but not the tracker).
 *
 * @example
 * ```ts
 * import { JOB_COMPLETE, jobCompleteTotals } from "./job_complete_sample.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * const stats = new StatsAggregator();
 * stats.record({ type: JOB_COMPLETE, name: "a.tif:m", responseTimeMs: 900, length: 1, at: Date.now(),
 *   error: "JobFailed('Status: FAILED')" });
 * const totals = jobCompleteTotals(stats);
 * if (totals.requests !== 1 || totals.failures !== 1) throw new Error(JSON.stringify(totals));
 * ```
 */
export function jobCompleteTotals(
  stats: Pick<StatsAggregator, "entries">,
): { requests: number; failures: number } {
  let requests = 0;
  let failures = 0;
  for (const entry of stats.entries()) {
    if (entry.type !== JOB_COMPLETE) continue;
    requests += entry.numRequests;
    failures += entry.numFailures;
  }
  return { requests, failures };
}
