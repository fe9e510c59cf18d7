/**
 * The web UI's downloads: the four Locust CSV files, the HTML report,
 * `job_status.json`, `job_summary.json` and `job_log.log` of the latest run. The CSV and
 * JSON files are the ones the run's outputs write; the HTML report is
 * rendered from the run's context on request.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { DOWNLOAD_NAMES, downloadFileName } from "./downloads.ts";
 * assert.equal(DOWNLOAD_NAMES.includes("stats.csv"), true);
 * assert.equal(downloadFileName("stats.csv"), "osml-load_stats.csv");
 * ```
 * @module
 */
import { join } from "node:path";
import type { OutputContext } from "../output/output.ts";
import { htmlReport, locustCsvPaths } from "./report_renderers.ts";

/** Every name `GET /api/download/<name>` serves. */
export const DOWNLOAD_NAMES = [
  "stats.csv",
  "stats_history.csv",
  "failures.csv",
  "exceptions.csv",
  "report.html",
  "job_status.json",
  "job_summary.json",
  "job_log.log",
] as const;

/** One of {@linkcode DOWNLOAD_NAMES}. */
export type DownloadName = typeof DOWNLOAD_NAMES[number];

/** Where the latest run's files are. */
export interface DownloadSources {
  /** Locust CSV prefix (files `PREFIX_stats.csv`, ...). */
  csvPrefix?: string;
  /** The run's `--log-dir` (job_status.json, job_summary.json, job_log.log). */
  logDir?: string;
  /** The run's context, for the HTML report. */
  ctx?: OutputContext;
}

/**
 * True when `name` is one of {@linkcode DOWNLOAD_NAMES}.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { isDownloadName } from "./downloads.ts";
 * assert.equal(isDownloadName("../etc/passwd"), false);
 * ```
 */
export function isDownloadName(name: string): name is DownloadName {
  return (DOWNLOAD_NAMES as readonly string[]).includes(name);
}

/**
 * The file name the browser saves a download as.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { downloadFileName } from "./downloads.ts";
 * assert.equal(downloadFileName("report.html"), "osml-load_report.html");
 * ```
 */
export function downloadFileName(name: DownloadName): string {
  return name.startsWith("job_") ? name : `osml-load_${name}`;
}

function filePath(name: DownloadName, sources: DownloadSources): string | undefined {
  if (name.endsWith(".csv")) {
    if (sources.csvPrefix === undefined) return undefined;
    const paths = locustCsvPaths(sources.csvPrefix);
    return name === "stats.csv"
      ? paths.stats
      : name === "stats_history.csv"
      ? paths.history
      : name === "failures.csv"
      ? paths.failures
      : paths.exceptions;
  }
  if (name.endsWith(".json") || name.endsWith(".log")) {
    return sources.logDir === undefined ? undefined : join(sources.logDir, name);
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * The downloads available now (files written so far; the report once a run started).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { availableDownloads } from "./downloads.ts";
 * assert.deepEqual(await availableDownloads({}), []);
 * ```
 */
export async function availableDownloads(sources: DownloadSources): Promise<DownloadName[]> {
  const found: DownloadName[] = [];
  for (const name of DOWNLOAD_NAMES) {
    if (name === "report.html") {
      if (sources.ctx) found.push(name);
      continue;
    }
    const path = filePath(name, sources);
    if (path !== undefined && await exists(path)) found.push(name);
  }
  return found;
}

const TYPES: Record<string, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  html: "text/html; charset=utf-8",
  log: "text/plain; charset=utf-8",
};

/**
 * The response for `GET /api/download/<name>`: the file as an attachment,
 * or 404 with what to do when the run has not produced it yet.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { downloadResponse } from "./downloads.ts";
 * assert.equal((await downloadResponse("stats.csv", {})).status, 404);
 * ```
 */
export async function downloadResponse(
  name: DownloadName,
  sources: DownloadSources,
): Promise<Response> {
  const headers = {
    "content-type": TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream",
    "content-disposition": `attachment; filename="${downloadFileName(name)}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
  if (name === "report.html") {
    if (!sources.ctx) return notYet(name);
    return new Response(htmlReport(sources.ctx), { headers });
  }
  const path = filePath(name, sources);
  if (path === undefined) return notYet(name);
  try {
    const file = await Deno.open(path, { read: true });
    return new Response(file.readable, { headers });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return notYet(name);
    throw error;
  }
}

function notYet(name: string): Response {
  return new Response(
    `${name} is not available yet: start a run first (job files appear after the first statistics interval, CSV files after the first second).\n`,
    { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } },
  );
}
