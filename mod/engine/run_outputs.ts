/**
 * The outputs a run's settings ask for, each behind the one `Output`
 * interface: in headless mode the status line and Locust's console tables
 * (sharing one line redrawn in place at the bottom of the terminal), the four
 * Locust CSV files, the HTML report, and the JSON stats.
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
import { createStatusLineOutput } from "../output/status_line.ts";
import { ConsoleGuard } from "../output/console_guard.ts";
import { LiveLine } from "../log/live_line.ts";
import { createLocustCsvOutput } from "../output/locust_csv.ts";
import { createHtmlReportOutput } from "../output/html_report.ts";
import { createJsonStatsOutput } from "../output/json_stats.ts";

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
  return outputs;
}
