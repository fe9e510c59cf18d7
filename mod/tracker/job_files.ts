/**
 * The JSON logs in `--log-dir`: `job_status.json` (every record) and
 * `job_summary.json` (totals and the run window), both indented by 4 spaces
 * as upstream writes them, both written atomically, both rewritten every
 * `--stats-interval` (less often as the run grows, see `job_files_writer.ts`)
 * and at the end (upstream wrote the summary only at stop).
 * Upstream's float keys (`processing_duration`, `total_gb_processed`) are
 * always written as floats (`12.0`), as Python does (see `python_json.ts`).
 *
 * `job_status.json` is streamed record by record from a tracker snapshot
 * (finished jobs from the journal, open ones from memory): its size has no
 * limit and writing it costs memory for one batch of records, not the run.
 * The summary comes from the same instant as the records.
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
import { pythonFixed } from "../stats/python_format.ts";
import { join } from "node:path";
import { writeFileAtomicStream, writeTextFileAtomic } from "../fs/atomic_write.ts";
import type { JobStatistics, JobStatisticsExtra } from "../model/run_report.ts";
import type { JobTracker, StatusCounts } from "./job_tracker.ts";
import { isoLocalWithOffset } from "../log/local_time.ts";
import { stringifyPythonJson } from "./python_json.ts";

/** Run facts that go into the summary after upstream's keys. */
export interface SummaryExtras {
  /** When the run (the process's work) started, ms since epoch. */
  startedAt: number;
  stoppedAt?: number;
  /**
   * When the load started (the first user), ms since epoch. When given, `start_time` is this
   * (upstream's meaning: the load test's start) and setup is reported apart in
   * `setup_duration_s`.
   */
  loadStartedAt?: number;
  /** Seconds of setup before the load (default: `loadStartedAt - startedAt`). */
  setupS?: number;
  /** The tracker's status counts: `status_transitions_refused`, `status_duplicates`, .... */
  statusCounts?: StatusCounts;
  /** Source images whose header could not be read (their pixels are unknown). */
  imagesPixelsUnknown?: number;
  /** Extra keys appended after upstream's (run metadata, backlog, message counts). */
  extra?: Record<string, unknown>;
}

/**
 * The `job_summary.json` object: upstream's seven counters, `start_time`,
 * `stop_time` (ISO with offset), then this tool's additions: `setup_duration_s` (with
 * `loadStartedAt`), `total_image_partial`, `total_image_timed_out`, `total_image_retried`,
 * `jobs_pixels_unknown`, `images_pixels_unknown`, the status counts, then `extra`.
 *
 * @example
 * ```ts
 * import { jobSummary } from "./job_files.ts";
 * import { JobTracker } from "./job_tracker.ts";
 * const s = jobSummary(new JobTracker().statistics(), { startedAt: 0, loadStartedAt: 8500 });
 * if (s.setup_duration_s !== 8.5) throw new Error(String(s.setup_duration_s));
 * ```
 */
export function jobSummary(
  stats: JobStatistics & Partial<JobStatisticsExtra>,
  run: SummaryExtras,
): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    total_image_sent: stats.total_image_sent,
    total_image_in_progress: stats.total_image_in_progress,
    total_image_processed: stats.total_image_processed,
    total_image_succeeded: stats.total_image_succeeded,
    total_image_failed: stats.total_image_failed,
    total_gb_processed: stats.total_gb_processed,
    total_pixels_processed: stats.total_pixels_processed,
    start_time: isoLocalWithOffset(new Date(run.loadStartedAt ?? run.startedAt)),
  };
  if (run.stoppedAt !== undefined) {
    summary.stop_time = isoLocalWithOffset(new Date(run.stoppedAt));
  }
  if (run.setupS !== undefined) summary.setup_duration_s = run.setupS;
  else if (run.loadStartedAt !== undefined) {
    summary.setup_duration_s = (run.loadStartedAt - run.startedAt) / 1000;
  }
  summary.total_image_partial = stats.total_image_partial;
  summary.total_image_timed_out = stats.total_image_timed_out;
  if (stats.total_image_retried !== undefined) {
    summary.total_image_retried = stats.total_image_retried;
  }
  if (stats.jobs_pixels_unknown !== undefined) {
    summary.jobs_pixels_unknown = stats.jobs_pixels_unknown;
  }
  if (run.imagesPixelsUnknown !== undefined) {
    summary.images_pixels_unknown = run.imagesPixelsUnknown;
  }
  const counts = run.statusCounts;
  if (counts) {
    summary.status_transitions_refused = counts.refused;
    for (const [reason, n] of Object.entries(counts.refusedBy)) {
      summary[`status_refused_${reason.replaceAll("-", "_")}`] = n;
    }
    summary.status_duplicates = counts.duplicates;
    summary.status_unknown = counts.unknownStatus;
    summary.registrations_duplicate = counts.duplicateRegistrations;
    summary.registrations_refused = counts.refusedRetries;
  }
  Object.assign(summary, run.extra ?? {});
  return summary;
}

/**
 * Write `job_status.json` into `logDir` from a snapshot of `tracker` taken now, streaming it
 * record by record; returns its path.
 */
export async function writeJobStatus(
  logDir: string,
  tracker: JobTracker,
  signal?: AbortSignal,
): Promise<string> {
  const path = join(logDir, "job_status.json");
  await writeFileAtomicStream(path, tracker.snapshot().text(), signal ? { signal } : {});
  return path;
}

/**
 * Write `job_status.json` and `job_summary.json` into `logDir` for one instant: the records of
 * a snapshot taken now, and the summary of its statistics with `run()`'s extras (called now).
 * Returns both paths.
 */
export async function writeJobFiles(
  logDir: string,
  tracker: JobTracker,
  run: () => SummaryExtras,
  signal?: AbortSignal,
): Promise<string[]> {
  const snapshot = tracker.snapshot();
  const extras = run();
  const statusPath = join(logDir, "job_status.json");
  // The summary is written even when job_status.json cannot be (it then says why, in
  // `tool_failures`, at the final write); the first failure is thrown after both were tried.
  let failure: unknown;
  const paths: string[] = [];
  try {
    await writeFileAtomicStream(statusPath, snapshot.text(), signal ? { signal } : {});
    paths.push(statusPath);
  } catch (error) {
    failure = error;
  }
  try {
    paths.push(await writeJobSummary(logDir, snapshot.stats, extras));
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined) throw failure;
  return paths;
}

/** Write `job_summary.json` into `logDir`; returns its path. */
export async function writeJobSummary(
  logDir: string,
  stats: JobStatistics & Partial<JobStatisticsExtra>,
  run: SummaryExtras,
): Promise<string> {
  const path = join(logDir, "job_summary.json");
  await writeTextFileAtomic(path, stringifyPythonJson(jobSummary(stats, run)) + "\n");
  return path;
}

/**
 * Upstream's seven-line statistics block (§6.3), GB with 2 decimals. When some processed jobs'
 * pixels are unknown, the pixel line says so after the (known) total.
 */
export function statisticsBlock(
  stats: JobStatistics & Partial<JobStatisticsExtra>,
): string[] {
  const unknown = stats.jobs_pixels_unknown ?? 0;
  return [
    `Total Images Sent: ${stats.total_image_sent}`,
    `Total Images In-Progress: ${stats.total_image_in_progress}`,
    `Total Images Processed: ${stats.total_image_processed}`,
    `Total Images Succeeded: ${stats.total_image_succeeded}`,
    `Total Images Failed: ${stats.total_image_failed}`,
    `Total GB Processed: ${pythonFixed(stats.total_gb_processed, 2)}`,
    `Total Pixels Processed: ${stats.total_pixels_processed}${
      unknown > 0
        ? ` (pixels of ${unknown} job(s) unknown: their image headers could not be read)`
        : ""
    }`,
  ];
}
