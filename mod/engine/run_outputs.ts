/**
 * The outputs a run's settings ask for, each behind the one `Output`
 * interface: in headless mode the status line and Locust's console tables
 * (sharing one line redrawn in place at the bottom of the terminal), the
 * Locust CSV files, the HTML report, the JSON stats, the JUnit threshold
 * report, (always) the mergeable statistics in the log folder, and with
 * `--results-to` the upload of every output to S3 (last, so it sees them all).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveRun } from "../config/run_settings.ts";
 * import { buildOutputs } from "./run_outputs.ts";
 * const { settings } = resolveRun(
 *   { headless: true, output: "out/run", html: "out/report.html" },
 *   { S3_SOURCE_IMAGE_BUCKET: "s3://src", S3_RESULT_BUCKET: "s3://res" },
 * );
 * assert.deepEqual(
 *   buildOutputs(settings, console.log).map((o) => o.name),
 *   ["status", "console", "csv", "html", "mergeable-stats"],
 * );
 * ```
 * @module
 */
import type { RunSettings } from "../config/run_settings.ts";
import type { Output } from "../output/output.ts";
import { createConsoleStatsOutput } from "../output/console_stats.ts";
import { createStatusLineOutput } from "../output/status_line.ts";
import { ConsoleGuard } from "../output/console_guard.ts";
import { LiveLine } from "../log/live_line.ts";
import { createLocustCsvOutput, locustCsvPaths } from "../output/locust_csv.ts";
import { createHtmlReportOutput } from "../output/html_report.ts";
import { createJsonStatsOutput } from "../output/json_stats.ts";
import { createJunitReportOutput } from "../output/junit_report.ts";
import { createMergeableStatsOutput, resolveGeneratorIdentity } from "../output/mergeable_stats.ts";
import { createResultsUploadOutput } from "../output/results_upload.ts";
import { MERGEABLE_STATS_FILE } from "../stats/mergeable_stats.ts";
import { JOB_RECORDS_FILE } from "../tracker/file_job_journal.ts";
import type { PlannedOutput } from "../fs/preflight.ts";

/**
 * Every path a run will write, for the preflight check before any load: the log folder and its
 * files, the CSV files, the HTML report and the JSON stats.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveRun } from "../config/run_settings.ts";
 * import { plannedOutputs } from "./run_outputs.ts";
 * const { settings } = resolveRun(
 *   { logDir: "logs", html: "out/report.html" },
 *   { S3_SOURCE_IMAGE_BUCKET: "s3://src", S3_RESULT_BUCKET: "s3://res" },
 * );
 * assert.deepEqual(plannedOutputs(settings).map((o) => o.path), [
 *   "logs", "logs/job_log.log", "logs/job_status.json", "logs/job_summary.json",
 *   "logs/job_records.jsonl", "logs/osml-load-stats.json", "out/report.html",
 * ]);
 * ```
 */
export function plannedOutputs(settings: RunSettings): PlannedOutput[] {
  const planned: PlannedOutput[] = [
    { flag: "--log-dir", path: settings.logDir, kind: "dir" },
    ...[
      "job_log.log",
      "job_status.json",
      "job_summary.json",
      JOB_RECORDS_FILE,
      MERGEABLE_STATS_FILE,
    ]
      .map((name) => ({
        flag: "--log-dir",
        path: `${settings.logDir}/${name}`,
        kind: "file" as const,
      })),
  ];
  if (settings.csvPrefix) {
    for (const path of Object.values(locustCsvPaths(settings.csvPrefix))) {
      planned.push({ flag: "--output", path, kind: "file" });
    }
  }
  if (settings.htmlPath) planned.push({ flag: "--html", path: settings.htmlPath, kind: "file" });
  if (settings.jsonPath) planned.push({ flag: "--json", path: settings.jsonPath, kind: "file" });
  if (settings.junitPath) planned.push({ flag: "--junit", path: settings.junitPath, kind: "file" });
  return planned;
}

/**
 * Build the outputs of a run from its settings. The status line comes first, so that at the end
 * its final value is printed before the final tables.
 */
export function buildOutputs(settings: RunSettings, write: (line: string) => void): Output[] {
  const outputs: Output[] = [];
  if (settings.headless) {
    const liveLine = new LiveLine();
    const guard = new ConsoleGuard();
    const intervalMs = settings.consoleIntervalS * 1000;
    outputs.push(
      createStatusLineOutput({ intervalMs, line: liveLine, write, guard }),
      createConsoleStatsOutput({
        intervalMs,
        live: !settings.onlySummary,
        write,
        jobStatistics: true,
        liveLine,
        guard,
      }),
    );
  }
  if (settings.csvPrefix) {
    outputs.push(
      createLocustCsvOutput({ prefix: settings.csvPrefix, fullHistory: settings.csvFullHistory }),
    );
  }
  if (settings.htmlPath) outputs.push(createHtmlReportOutput({ path: settings.htmlPath }));
  if (settings.jsonPath) outputs.push(createJsonStatsOutput({ path: settings.jsonPath }));
  if (settings.junitPath) outputs.push(createJunitReportOutput({ path: settings.junitPath }));
  // Always, for `osml-load merge`: the statistics of this generator, in the log folder.
  const generator = resolveGeneratorIdentity({}, settings.env);
  outputs.push(
    createMergeableStatsOutput({
      path: `${settings.logDir}/${MERGEABLE_STATS_FILE}`,
      intervalMs: settings.statsIntervalS * 1000,
      generator,
    }),
  );
  if (settings.resultsTo) {
    outputs.push(createResultsUploadOutput({
      destination: settings.resultsTo,
      generator,
      logDir: settings.logDir,
      files: plannedOutputs(settings).flatMap((o) => (o.kind === "file" ? [o.path] : [])),
      intervalMs: settings.statsIntervalS * 1000,
      awsTimeoutMs: settings.awsTimeoutS * 1000,
      env: settings.env,
      write,
    }));
  }
  return outputs;
}
