/**
 * The JSON logs in `--log-dir`: `job_status.json` (every record) and
 * `job_summary.json` (totals and the run window), both indented by 4 spaces
 * as upstream writes them, both written atomically, both rewritten every
 * `--stats-interval` and at the end (upstream wrote the summary only at stop).
 *
 * @example
 * ```ts
 * import { jobSummary } from "./job_files.ts";
 * import { JobTracker } from "./job_tracker.ts";
 * const summary = jobSummary(new JobTracker().statistics(), { startedAt: Date.now() });
 * summary.total_image_sent; // 0
 * ```
 * @module
 */
import { join } from "node:path";
import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import type { JobStatistics } from "../output/run_report.ts";
import type { JobTracker } from "./job_tracker.ts";
import { isoLocalWithOffset } from "./local_time.ts";

/** Run facts that go into the summary after upstream's keys. */
export interface SummaryExtras {
  startedAt: number;
  stoppedAt?: number;
  /** Extra keys appended after upstream's (run metadata, backlog, message counts). */
  extra?: Record<string, string | number | boolean | null>;
}

/**
 * The `job_summary.json` object: upstream's seven counters, `start_time`,
 * `stop_time` (ISO with offset), then this tool's additions.
 */
export function jobSummary(stats: JobStatistics, run: SummaryExtras): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    total_image_sent: stats.total_image_sent,
    total_image_in_progress: stats.total_image_in_progress,
    total_image_processed: stats.total_image_processed,
    total_image_succeeded: stats.total_image_succeeded,
    total_image_failed: stats.total_image_failed,
    total_gb_processed: stats.total_gb_processed,
    total_pixels_processed: stats.total_pixels_processed,
    start_time: isoLocalWithOffset(new Date(run.startedAt)),
  };
  if (run.stoppedAt !== undefined) {
    summary.stop_time = isoLocalWithOffset(new Date(run.stoppedAt));
  }
  summary.total_image_partial = stats.total_image_partial;
  summary.total_image_timed_out = stats.total_image_timed_out;
  Object.assign(summary, run.extra ?? {});
  return summary;
}

/** Write `job_status.json` into `logDir`; returns its path. */
export async function writeJobStatus(logDir: string, tracker: JobTracker): Promise<string> {
  const path = join(logDir, "job_status.json");
  await writeTextFileAtomic(path, JSON.stringify(tracker.statusRecords(), null, 4) + "\n");
  return path;
}

/** Write `job_summary.json` into `logDir`; returns its path. */
export async function writeJobSummary(
  logDir: string,
  stats: JobStatistics,
  run: SummaryExtras,
): Promise<string> {
  const path = join(logDir, "job_summary.json");
  await writeTextFileAtomic(path, JSON.stringify(jobSummary(stats, run), null, 4) + "\n");
  return path;
}

/** Upstream's seven-line statistics block (§6.3), GB with 2 decimals. */
export function statisticsBlock(stats: JobStatistics): string[] {
  return [
    `Total Images Sent: ${stats.total_image_sent}`,
    `Total Images In-Progress: ${stats.total_image_in_progress}`,
    `Total Images Processed: ${stats.total_image_processed}`,
    `Total Images Succeeded: ${stats.total_image_succeeded}`,
    `Total Images Failed: ${stats.total_image_failed}`,
    `Total GB Processed: ${stats.total_gb_processed.toFixed(2)}`,
    `Total Pixels Processed: ${stats.total_pixels_processed}`,
  ];
}
