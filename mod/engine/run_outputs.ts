/**
 * The outputs a run's settings ask for, each behind the one `Output`
 * interface: Locust's headless console tables, the Locust CSV files,
 * the HTML report, the JSON stats and the JUnit threshold report.
 *
 * @example
 * ```ts ignore
 * const outputs = buildOutputs(settings, console.log);
 * ```
 * @module
 */
import type { RunSettings } from "../config/run_settings.ts";
import type { Output } from "../output/output.ts";
import { createConsoleStatsOutput } from "../output/console_stats.ts";
import { createLocustCsvOutput } from "../output/locust_csv.ts";
import { createHtmlReportOutput } from "../output/html_report.ts";
import { createJsonStatsOutput } from "../output/json_stats.ts";
import { createJunitReportOutput } from "../output/junit_report.ts";

/** Build the outputs of a run from its settings. */
export function buildOutputs(settings: RunSettings, write: (line: string) => void): Output[] {
  const outputs: Output[] = [];
  if (settings.headless) {
    outputs.push(
      createConsoleStatsOutput({
        intervalMs: settings.consoleIntervalS * 1000,
        write,
        jobStatistics: true,
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
  return outputs;
}
