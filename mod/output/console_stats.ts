/**
 * Locust's headless console: the live stats table every `intervalMs`
 * (default 2 000; none with `--only-summary`), and at the end the final table
 * (rates over the whole run), the percentile table and the error report, as
 * Locust prints them, laid out in the terminal's width at each print. Tables
 * are printed above the status line when one is shown. A table that cannot be
 * printed is reported once and never stops the run.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { createConsoleStatsOutput } from "./console_stats.ts";
 * const lines: string[] = [];
 * const output = createConsoleStatsOutput({ write: (line) => lines.push(line), width: () => 80 });
 * assert.equal(output.name, "console");
 * ```
 * @module
 */

import { formatJobStatistics } from "./job_statistics_block.ts";
import type { Output } from "./output.ts";
import {
  consoleWidth,
  errorReportLines,
  percentileSummaryLines,
  statsSummaryLines,
} from "./console_tables.ts";
import type { LiveLine } from "../log/live_line.ts";
import { ConsoleGuard } from "./console_guard.ts";

/** Options of {@linkcode createConsoleStatsOutput}. */
export interface ConsoleStatsOptions {
  /** Milliseconds between live tables (default 2000; `--console-interval`). Checked on each tick. */
  intervalMs?: number;
  /** Print live tables while the run goes (default true; false is Locust's `--only-summary`). */
  live?: boolean;
  /** Where lines go (default `console.log`). */
  write?: (line: string) => void;
  /** The width to lay tables out in, asked at each print (default {@linkcode consoleWidth}). */
  width?: () => number;
  /** Print the job statistics block after the final tables (default false). */
  jobStatistics?: boolean;
  /** The status line to print tables above (clear it first, redraw it after). */
  liveLine?: LiveLine;
  /** Catches printing errors (default: reported once on `console.error`). */
  guard?: ConsoleGuard;
}

/**
 * The console output. The live table is printed on the first tick and then
 * whenever `intervalMs` has passed since the last one.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { createConsoleStatsOutput } from "./console_stats.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * const lines: string[] = [];
 * const output = createConsoleStatsOutput({ live: false, write: (l) => lines.push(l), width: () => 40 });
 * const stats = new StatsAggregator(0);
 * output.tick?.({ stats } as never, 1000); // --only-summary: no live table
 * assert.equal(lines.length, 0);
 * ```
 */
export function createConsoleStatsOutput(options: ConsoleStatsOptions = {}): Output {
  const intervalMs = options.intervalMs ?? 2000;
  const live = options.live ?? true;
  const write = options.write ?? ((line: string) => console.log(line));
  const widthOf = options.width ?? consoleWidth;
  const guard = options.guard ?? new ConsoleGuard();
  let lastPrinted: number | undefined;
  const print = (what: string, lines: () => string[]) => {
    guard.run(what, () => {
      const text = lines();
      const out = () => {
        for (const line of text) write(line);
      };
      if (options.liveLine) options.liveLine.above(out);
      else out();
    });
  };
  return {
    name: "console",
    tick(ctx, now) {
      if (!live) return;
      if (lastPrinted !== undefined && now - lastPrinted < intervalMs) return;
      lastPrinted = now;
      print("print the live stats table", () => [
        ...statsSummaryLines(ctx.stats, { current: true, width: widthOf() }),
        "",
      ]);
    },
    finish(ctx) {
      // One table at a time: a table that fails leaves the others printed.
      print("print the final stats table", () => [
        ...statsSummaryLines(ctx.stats, { current: false, width: widthOf() }),
        "",
      ]);
      print("print the percentile table", () => [
        ...percentileSummaryLines(ctx.stats, { width: widthOf() }),
        "",
      ]);
      print("print the error report", () => errorReportLines(ctx.stats, { width: widthOf() }));
      if (options.jobStatistics) {
        print("print the job statistics", () => formatJobStatistics(ctx.jobs()));
      }
    },
  };
}
