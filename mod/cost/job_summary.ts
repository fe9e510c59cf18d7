/**
 * Reading a `job_summary.json` for the cost report: this tool's (times with a
 * UTC offset) and the original suite's (naive local times), with the keys the
 * upstream cost report uses (docs/compatibility.md#cost-report).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readJobSummary } from "./job_summary.ts";
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(path, JSON.stringify({
 *   start_time: "2025-12-09T10:00:00Z", stop_time: "2025-12-09T12:00:00Z", total_image_sent: 10,
 * }));
 * const summary = await readJobSummary(path);
 * assert.equal(summary.start?.epochMs, Date.UTC(2025, 11, 9, 10));
 * assert.equal(summary.imagesSent, 10);
 * await Deno.remove(path);
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import { parseSummaryTime, type SummaryTime } from "./summary_time.ts";

/** The parts of a job summary the cost report uses. */
export interface JobSummary {
  /** `start_time`, parsed; undefined when the summary has none. */
  start?: SummaryTime;
  /** `stop_time`, parsed; undefined when the summary has none. */
  stop?: SummaryTime;
  /** `total_image_sent` (0 when absent). */
  imagesSent: number;
  /** `total_image_processed` (0 when absent). */
  imagesProcessed: number;
  /** `total_image_succeeded` (0 when absent). */
  imagesSucceeded: number;
  /** `total_gb_processed` (0 when absent). */
  gbProcessed: number;
  /** `total_pixels_processed` (0 when absent): the pixels of the jobs whose pixels are known. */
  pixelsProcessed: number;
  /**
   * `jobs_pixels_unknown`: processed jobs whose image header could not be read, so that
   * `total_pixels_processed` is short of the truth (0 when absent, as in upstream's summaries).
   */
  jobsPixelsUnknown?: number;
}

const COUNTERS = {
  imagesSent: "total_image_sent",
  imagesProcessed: "total_image_processed",
  imagesSucceeded: "total_image_succeeded",
  gbProcessed: "total_gb_processed",
  pixelsProcessed: "total_pixels_processed",
  jobsPixelsUnknown: "jobs_pixels_unknown",
} as const;

/**
 * Read and check a job summary file. Throws {@linkcode UsageError} for an
 * unreadable file, bad JSON, a counter that is not a number, or a time that is
 * not ISO-8601. Missing times are left undefined (the caller decides whether
 * `--start`/`--end` replace them).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { UsageError } from "../usage_error.ts";
 * import { readJobSummary } from "./job_summary.ts";
 * await assert.rejects(readJobSummary("no/such/job_summary.json"), UsageError);
 * ```
 */
export async function readJobSummary(path: string): Promise<JobSummary> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new UsageError(
      `cannot read the summary file ${path} (${why}): pass the job_summary.json a run wrote ` +
        "(by default logs/job_summary.json), or use --start and --end instead",
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `the summary file ${path} is not valid JSON (${
        error instanceof Error ? error.message : String(error)
      }): pass the job_summary.json a run wrote`,
    );
  }
  return parseJobSummary(data, path);
}

/**
 * Check a parsed job summary object (see {@linkcode readJobSummary}); `source`
 * names it in error messages.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseJobSummary } from "./job_summary.ts";
 * assert.equal(parseJobSummary({ start_time: "2025-12-09T10:44:51", total_image_sent: 3 }, "inline").imagesSent, 3);
 * ```
 */
export function parseJobSummary(data: unknown, source: string): JobSummary {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new UsageError(
      `the summary file ${source} holds no JSON object: pass the job_summary.json a run wrote`,
    );
  }
  const object = data as Record<string, unknown>;
  const summary: JobSummary = {
    imagesSent: 0,
    imagesProcessed: 0,
    imagesSucceeded: 0,
    gbProcessed: 0,
    pixelsProcessed: 0,
  };
  for (const [field, key] of Object.entries(COUNTERS) as [keyof typeof COUNTERS, string][]) {
    const value = object[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new UsageError(
        `${key} in ${source} is ${JSON.stringify(value)}, not a number: ` +
          "fix the summary file or regenerate it with a run",
      );
    }
    summary[field] = value;
  }
  for (const [field, key] of [["start", "start_time"], ["stop", "stop_time"]] as const) {
    const value = object[key];
    if (value === undefined || value === null || value === "") continue;
    const parsed = typeof value === "string" ? parseSummaryTime(value) : undefined;
    if (!parsed) {
      throw new UsageError(
        `${key} in ${source} is ${JSON.stringify(value)}, not an ISO-8601 time: ` +
          'write it like "2025-12-09T10:44:51+00:00" (a time without offset is read as local time)',
      );
    }
    summary[field] = parsed;
  }
  return summary;
}
