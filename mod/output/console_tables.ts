/**
 * Locust's console tables, line for line: the stats table
 * (`get_stats_summary`), the percentile table
 * (`get_percentile_stats_summary`) and the error report
 * (`get_error_report_summary`), with Python's `%`-formatting.
 *
 * @example
 * ```ts
 * import { statsSummaryLines } from "./console_tables.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * statsSummaryLines(new StatsAggregator(0), { current: true })[0]?.startsWith("Type     Name"); // true
 * ```
 * @module
 */

import type { StatsAggregator, StatsEntry, StatsFailure } from "../stats/aggregator.ts";
import { pythonFixed, pythonIntFormat } from "../stats/python_format.ts";
import { PERCENTILES_TO_REPORT, readablePercentiles } from "../stats/response_times.ts";

/** Locust's `STATS_TYPE_WIDTH`. */
export const STATS_TYPE_WIDTH = 8;

/** Options shared by the table functions. */
export interface ConsoleTableOptions {
  /** Locust's `STATS_NAME_WIDTH` (default {@linkcode defaultNameWidth}). */
  nameWidth?: number;
}

/**
 * Locust's `STATS_NAME_WIDTH`: terminal columns − 80, between 0 and 80; 80
 * when stdout is not a terminal.
 *
 * @example
 * ```ts
 * import { defaultNameWidth } from "./console_tables.ts";
 * defaultNameWidth(); // 80 when piped
 * ```
 */
export function defaultNameWidth(): number {
  try {
    if (!Deno.stdout.isTerminal()) return 80;
    return Math.max(Math.min(Deno.consoleSize().columns - 80, 80), 0);
  } catch {
    return 80;
  }
}

/** Python `%-Ns`: left-aligned, padded to N code points, never cut. */
function left(s: string, width: number): string {
  const len = [...s].length;
  return len >= width ? s : s + " ".repeat(width - len);
}

/** Python `%Ns`: right-aligned, padded to N code points, never cut. */
function right(s: string, width: number): string {
  const len = [...s].length;
  return len >= width ? s : " ".repeat(width - len) + s;
}

/**
 * One stats-table row (Locust's `StatsEntry.to_string`): current rates when
 * `current`, else rates over the whole run.
 *
 * @example
 * ```ts
 * import { statsLine } from "./console_tables.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * statsLine(new StatsAggregator(0).total, { current: false }).includes("Aggregated"); // true
 * ```
 */
export function statsLine(
  entry: StatsEntry,
  options: ConsoleTableOptions & { current: boolean },
): string {
  const nameWidth = options.nameWidth ?? defaultNameWidth();
  const rps = options.current ? entry.currentRps : entry.totalRps;
  const fps = options.current ? entry.currentFailPerSec : entry.totalFailPerSec;
  const fails = `${entry.numFailures}(${pythonFixed(entry.failRatio * 100, 2)}%)`;
  return left(entry.type ? entry.type + " " : "", STATS_TYPE_WIDTH) + " " +
    left(entry.name, nameWidth - STATS_TYPE_WIDTH + 4) + " " +
    right(String(entry.numRequests), 7) + " " +
    right(fails, 12) + " |" +
    right(pythonIntFormat(entry.avgResponseTime), 7) + " " +
    right(pythonIntFormat(entry.minResponseTime ?? 0), 7) + " " +
    right(pythonIntFormat(entry.maxResponseTime), 7) +
    right(pythonIntFormat(entry.medianResponseTime), 7) + " | " +
    right(pythonFixed(rps, 2), 7) + " " +
    right(pythonFixed(fps, 2), 11);
}

/**
 * Locust's stats table: header, separator, one row per entry sorted by
 * (name, type), separator, the Aggregated row.
 *
 * @example
 * ```ts
 * import { statsSummaryLines } from "./console_tables.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * statsSummaryLines(new StatsAggregator(0), { current: false, nameWidth: 80 }).length; // 4
 * ```
 */
export function statsSummaryLines(
  stats: StatsAggregator,
  options: ConsoleTableOptions & { current: boolean },
): string[] {
  const nameWidth = options.nameWidth ?? defaultNameWidth();
  const nameColumn = nameWidth - STATS_TYPE_WIDTH + 4;
  const header = left("Type", STATS_TYPE_WIDTH) + " " + left("Name", nameColumn) + " " +
    right("# reqs", 7) + " " + right("# fails", 12) + " |" + right("Avg", 7) + " " +
    right("Min", 7) + " " + right("Max", 7) + right("Med", 7) + " | " + right("req/s", 7) + " " +
    right("failures/s", 11);
  const separator = `${"-".repeat(STATS_TYPE_WIDTH)}|${"-".repeat(nameColumn)}|${"-".repeat(7)}|${
    "-".repeat(13)
  }|${"-".repeat(7)}|${"-".repeat(7)}|${"-".repeat(7)}|${"-".repeat(7)}|${"-".repeat(8)}|${
    "-".repeat(11)
  }`;
  const opts = { current: options.current, nameWidth };
  return [
    header,
    separator,
    ...stats.entries().map((e) => statsLine(e, opts)),
    separator,
    statsLine(stats.total, opts),
  ];
}

function percentileLine(entry: StatsEntry, nameWidth: number): string {
  const values = PERCENTILES_TO_REPORT.map((p) => pythonIntFormat(entry.percentile(p)));
  const cells = [...values.slice(1), String(entry.numRequests)].map((v) => right(v, 6));
  return left(entry.type, STATS_TYPE_WIDTH) + " " + left(entry.name, nameWidth) + " " +
    right(values[0] ?? "0", 8) + " " + cells.join(" ");
}

/**
 * Locust's percentile table ("Response time percentiles (approximated)"),
 * including its quirk of printing the 50% column 8 wide.
 *
 * @example
 * ```ts
 * import { percentileSummaryLines } from "./console_tables.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * percentileSummaryLines(new StatsAggregator(0), { nameWidth: 80 })[0]; // "Response time percentiles (approximated)"
 * ```
 */
export function percentileSummaryLines(
  stats: StatsAggregator,
  options: ConsoleTableOptions = {},
): string[] {
  const nameWidth = options.nameWidth ?? defaultNameWidth();
  const headers = ["Type", "Name", ...readablePercentiles(PERCENTILES_TO_REPORT), "# reqs"];
  const header = left(headers[0] ?? "", STATS_TYPE_WIDTH) + " " +
    left(headers[1] ?? "", nameWidth) +
    " " + right(headers[2] ?? "", 8) + " " + headers.slice(3).map((h) => right(h, 6)).join(" ");
  const separator = `${"-".repeat(STATS_TYPE_WIDTH)}|${"-".repeat(nameWidth)}|${"-".repeat(8)}|${
    ("-".repeat(6) + "|").repeat(PERCENTILES_TO_REPORT.length)
  }`.slice(0, -1);
  const lines = ["Response time percentiles (approximated)", header, separator];
  for (const e of stats.entries()) {
    if (e.responseTimes.size > 0) lines.push(percentileLine(e, nameWidth));
  }
  lines.push(separator);
  if (stats.total.responseTimes.size > 0) lines.push(percentileLine(stats.total, nameWidth));
  return lines;
}

/**
 * Locust's `StatsError.to_name`: `method name: error`, unwrapping `CatchResponseError(...)`.
 *
 * @example
 * ```ts
 * import { failureLabel } from "./console_tables.ts";
 * failureLabel({ method: "Submit Image", name: "a.tif:m", error: "Boom()", occurrences: 1, firstSeen: 0, lastSeen: 0, key: "" });
 * // "Submit Image a.tif:m: Boom()"
 * ```
 */
export function failureLabel(failure: StatsFailure): string {
  const prefix = "CatchResponseError(";
  const error = failure.error.startsWith(prefix)
    ? failure.error.slice(prefix.length, -1)
    : failure.error;
  return `${failure.method} ${failure.name}: ${error}`;
}

/**
 * Locust's error report, or no lines when there were no failures.
 *
 * @example
 * ```ts
 * import { errorReportLines } from "./console_tables.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * errorReportLines(new StatsAggregator(0)); // []
 * ```
 */
export function errorReportLines(
  stats: StatsAggregator,
  options: ConsoleTableOptions = {},
): string[] {
  const failures = stats.failures();
  if (failures.length === 0) return [];
  const nameWidth = options.nameWidth ?? defaultNameWidth();
  const separator = `${"-".repeat(18)}|${"-".repeat(80 + nameWidth - 19)}`;
  return [
    "Error report",
    left("# occurrences", 18) + " " + left("Error", 100),
    separator,
    ...failures.map((f) => left(String(f.occurrences), 18) + " " + left(failureLabel(f), 100)),
    separator,
    "",
  ];
}
