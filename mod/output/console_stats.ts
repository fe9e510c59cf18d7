/**
 * Locust's headless console: the live stats table every `intervalMs`
 * (default 2 000), and at the end the final table (rates over the whole run),
 * the percentile table and the error report, as Locust prints them.
 *
 * @example
 * ```ts
 * import { createConsoleStatsOutput } from "./console_stats.ts";
 * const lines: string[] = [];
 * const output = createConsoleStatsOutput({ write: (line) => lines.push(line), nameWidth: 80 });
 * output.name; // "console"
 * ```
 * @module
 */

import { formatJobStatistics } from "./job_statistics_block.ts";
import type { Output } from "./output.ts";
import {
  defaultNameWidth,
  errorReportLines,
  percentileSummaryLines,
  statsSummaryLines,
} from "./console_tables.ts";

/** Options of {@linkcode createConsoleStatsOutput}. */
export interface ConsoleStatsOptions {
  /** Milliseconds between live tables (default 2000; `--console-interval`). Checked on each tick. */
  intervalMs?: number;
  /** Where lines go (default `console.log`). */
  write?: (line: string) => void;
  /** Width of the Name column (default: Locust's rule from the terminal width, 80 when piped). */
  nameWidth?: number;
  /** Print the job statistics block after the final tables (default false). */
  jobStatistics?: boolean;
}

/**
 * The console output. The live table is printed on the first tick and then
 * whenever `intervalMs` has passed since the last one.
 *
 * @example
 * ```ts
 * import { createConsoleStatsOutput } from "./console_stats.ts";
 * const output = createConsoleStatsOutput({ intervalMs: 5000 });
 * ```
 */
export function createConsoleStatsOutput(options: ConsoleStatsOptions = {}): Output {
  const intervalMs = options.intervalMs ?? 2000;
  const write = options.write ?? ((line: string) => console.log(line));
  const nameWidth = options.nameWidth ?? defaultNameWidth();
  let lastPrinted: number | undefined;
  const print = (lines: string[]) => {
    for (const line of lines) write(line);
  };
  return {
    name: "console",
    tick(ctx, now) {
      if (lastPrinted !== undefined && now - lastPrinted < intervalMs) return;
      lastPrinted = now;
      print([...statsSummaryLines(ctx.stats, { current: true, nameWidth }), ""]);
    },
    finish(ctx) {
      print([...statsSummaryLines(ctx.stats, { current: false, nameWidth }), ""]);
      print([...percentileSummaryLines(ctx.stats, { nameWidth }), ""]);
      print(errorReportLines(ctx.stats, { nameWidth }));
      if (options.jobStatistics) print(formatJobStatistics(ctx.jobs()));
    },
  };
}
