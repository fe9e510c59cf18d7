/**
 * Locust's console tables, with Locust's columns, headers and number formats:
 * the stats table (`get_stats_summary`), the percentile table
 * (`get_percentile_stats_summary`) and the error report
 * (`get_error_report_summary`). Unlike Locust's fixed 8/80/7-wide columns,
 * every column is as wide as its content and the name column takes what the
 * terminal leaves (names cut with `…`), so rows never wrap, at any width from
 * 40 columns up; narrower than the whole table, the table is split into parts
 * that each repeat the type and name. Piped (no terminal), columns are as wide
 * as their content, as Locust sizes its name column to the name length.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { statsSummaryLines } from "./console_tables.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * const lines = statsSummaryLines(new StatsAggregator(0), { current: true, width: 120 });
 * assert.ok(lines[0]?.startsWith("Type Name"));
 * assert.ok(lines.every((line) => line.length <= 120));
 * ```
 * @module
 */

import type { StatsAggregator, StatsEntry, StatsFailure } from "../stats/aggregator.ts";
import { pythonFixed, pythonIntFormat } from "../stats/python_format.ts";
import { PERCENTILES_TO_REPORT, readablePercentiles } from "../stats/response_times.ts";
import { clip, stdoutStream, streamWidth } from "../log/live_line.ts";
import { layoutTable, type TableColumn, type TableRow, textWidth } from "./column_layout.ts";

/** The narrowest a name gets before a table is split into parts (`Aggregated` still shows). */
export const MIN_NAME_WIDTH = 10;

/** Options shared by the table functions. */
export interface ConsoleTableOptions {
  /**
   * Widest line, in columns (default {@linkcode consoleWidth}); `Infinity` sizes every column
   * to its content.
   */
  width?: number;
}

/**
 * The width tables are laid out in: standard output's columns on a terminal (80 when it does
 * not say), else `Infinity` (columns as wide as their content).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { consoleWidth } from "./console_tables.ts";
 * const width = consoleWidth();
 * assert.equal(width > 0, true);
 * ```
 */
export function consoleWidth(): number {
  return streamWidth(stdoutStream());
}

const typeColumn: TableColumn = { header: "Type", align: "left", key: true };
const nameColumn: TableColumn = {
  header: "Name",
  align: "left",
  key: true,
  shrink: MIN_NAME_WIDTH,
};

const STATS_COLUMNS: readonly TableColumn[] = [
  typeColumn,
  nameColumn,
  { header: "# reqs", align: "right" },
  { header: "# fails", align: "right" },
  { header: "Avg", align: "right", group: true },
  { header: "Min", align: "right" },
  { header: "Max", align: "right" },
  { header: "Med", align: "right" },
  { header: "req/s", align: "right", group: true },
  { header: "failures/s", align: "right" },
];

/**
 * One stats-table row's cells (Locust's `StatsEntry.to_string`): current rates when `current`,
 * else rates over the whole run.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { statsCells } from "./console_tables.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * assert.deepEqual(statsCells(new StatsAggregator(0).total, false).slice(1, 4), ["Aggregated", "0", "0(0.00%)"]);
 * ```
 */
export function statsCells(entry: StatsEntry, current: boolean): string[] {
  const rps = current ? entry.currentRps : entry.totalRps;
  const fps = current ? entry.currentFailPerSec : entry.totalFailPerSec;
  return [
    entry.type,
    entry.name,
    String(entry.numRequests),
    `${entry.numFailures}(${pythonFixed(entry.failRatio * 100, 2)}%)`,
    pythonIntFormat(entry.avgResponseTime),
    pythonIntFormat(entry.minResponseTime ?? 0),
    pythonIntFormat(entry.maxResponseTime),
    pythonIntFormat(entry.medianResponseTime),
    pythonFixed(rps, 2),
    pythonFixed(fps, 2),
  ];
}

/**
 * Locust's stats table: header, separator, one row per entry sorted by (name, type), separator,
 * the Aggregated row.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { statsSummaryLines } from "./console_tables.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * assert.deepEqual(statsSummaryLines(new StatsAggregator(0), { current: false, width: Infinity }), [
 *   "Type Name       # reqs  # fails | Avg Min Max Med | req/s failures/s",
 *   "----|----------|------|---------|----|---|---|----|------|----------",
 *   "----|----------|------|---------|----|---|---|----|------|----------",
 *   "     Aggregated      0 0(0.00%) |   0   0   0   0 |  0.00       0.00",
 * ]);
 * ```
 */
export function statsSummaryLines(
  stats: StatsAggregator,
  options: ConsoleTableOptions & { current: boolean },
): string[] {
  const rows: TableRow[] = [
    ...stats.entries().map((e) => statsCells(e, options.current)),
    null,
    statsCells(stats.total, options.current),
  ];
  return layoutTable(STATS_COLUMNS, rows, options.width ?? consoleWidth());
}

/**
 * Locust's percentile table ("Response time percentiles (approximated)"): a row for each entry
 * with response times, then the Aggregated row.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { percentileSummaryLines } from "./console_tables.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * const lines = percentileSummaryLines(new StatsAggregator(0), { width: 80 });
 * assert.equal(lines[0], "Response time percentiles (approximated)");
 * assert.ok(lines[1]?.startsWith("Type Name 50% 66%"));
 * ```
 */
export function percentileSummaryLines(
  stats: StatsAggregator,
  options: ConsoleTableOptions = {},
): string[] {
  const columns: TableColumn[] = [
    typeColumn,
    nameColumn,
    ...[...readablePercentiles(PERCENTILES_TO_REPORT), "# reqs"].map((header): TableColumn => ({
      header,
      align: "right",
    })),
  ];
  const cells = (e: StatsEntry) => [
    e.type,
    e.name,
    ...PERCENTILES_TO_REPORT.map((p) => pythonIntFormat(e.percentile(p))),
    String(e.numRequests),
  ];
  const rows: TableRow[] = stats.entries().filter((e) => e.responseTimes.size > 0).map(cells);
  rows.push(null);
  if (stats.total.responseTimes.size > 0) rows.push(cells(stats.total));
  const width = options.width ?? consoleWidth();
  return [
    ...wrapText("Response time percentiles (approximated)", width),
    ...layoutTable(columns, rows, width),
  ];
}

/**
 * Locust's `StatsError.to_name`: `method name: error`, unwrapping `CatchResponseError(...)`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { failureLabel } from "./console_tables.ts";
 * assert.equal(
 *   failureLabel({ method: "Submit Image", name: "a.tif:m", error: "Boom()", occurrences: 1, firstSeen: 0, lastSeen: 0, key: "" }),
 *   "Submit Image a.tif:m: Boom()",
 * );
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
 * Break `text` into lines of at most `width` code points, at spaces where it can.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { wrapText } from "./console_tables.ts";
 * assert.deepEqual(wrapText("Submit Image a.tif: Boom", 12), ["Submit Image", "a.tif: Boom"]);
 * assert.deepEqual(wrapText("abcdefgh", 3), ["abc", "def", "gh"]);
 * ```
 */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let rest = [...paragraph];
    if (rest.length === 0) out.push("");
    while (rest.length > 0) {
      if (width === Infinity || rest.length <= width) {
        out.push(rest.join(""));
        break;
      }
      let cut = rest.lastIndexOf(" ", width);
      if (cut < width / 2) cut = width;
      out.push(rest.slice(0, cut).join("").trimEnd());
      rest = rest.slice(cut);
      while (rest[0] === " ") rest = rest.slice(1);
    }
  }
  return out;
}

/**
 * Locust's error report, or no lines when there were no failures. Long errors wrap inside the
 * Error column rather than run past the width.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { errorReportLines } from "./console_tables.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * assert.deepEqual(errorReportLines(new StatsAggregator(0)), []);
 * ```
 */
export function errorReportLines(
  stats: StatsAggregator,
  options: ConsoleTableOptions = {},
): string[] {
  const failures = stats.failures();
  if (failures.length === 0) return [];
  const width = options.width ?? consoleWidth();
  const counts = failures.map((f) => String(f.occurrences));
  const countWidth = Math.max(textWidth("# occurrences"), ...counts.map(textWidth));
  const labels = failures.map(failureLabel);
  const longest = Math.max(
    textWidth("Error"),
    ...labels.flatMap((l) => l.split(/\r?\n/)).map(textWidth),
  );
  const errorWidth = Math.max(1, Math.min(longest, width - countWidth - 1));
  const separator = `${"-".repeat(countWidth)}|${"-".repeat(errorWidth)}`;
  const lines = ["Error report", `${"# occurrences".padEnd(countWidth)} Error`, separator];
  failures.forEach((_, i) => {
    wrapText(labels[i]!, errorWidth).forEach((part, j) => {
      const count = j === 0 ? counts[i]! : "";
      lines.push(`${count.padEnd(countWidth)} ${part}`.trimEnd());
    });
  });
  lines.push(separator, "");
  // Narrower than the count column (under 15 columns): cut rather than wrap.
  return lines.map((line) => clip(line, width));
}
