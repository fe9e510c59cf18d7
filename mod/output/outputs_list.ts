/**
 * The closing `Outputs:` list: every file a run wrote (logs, Locust CSV files,
 * HTML report, JSON), one a line, each with what it is when the terminal has
 * room. Paths are never cut.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatOutputsList } from "./outputs_list.ts";
 * assert.deepEqual(formatOutputsList(["out/report.html", "logs/job_log.log", "out/report.html"]), [
 *   "Outputs:",
 *   "  logs/job_log.log  run log",
 *   "  out/report.html   HTML report",
 * ]);
 * ```
 * @module
 */

import { basename } from "node:path";
import type { OutputContext } from "./output.ts";

const KINDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/_stats_history\.csv$/, "Locust stats history (CSV)"],
  [/_stats\.csv$/, "Locust stats (CSV)"],
  [/_failures\.csv$/, "Locust failures (CSV)"],
  [/_exceptions\.csv$/, "Locust exceptions (CSV)"],
  [/_jobs_history\.csv$/, "jobs over time (CSV)"],
  [/^job_records\.jsonl$/, "finished jobs (JSON Lines)"],
  [/^osml-load-stats\.json$/, "mergeable statistics"],
  [/^job_log\.log$/, "run log"],
  [/^job_status\.json$/, "job status"],
  [/^job_summary\.json$/, "job summary"],
  [/^cost_report\.json$/, "cost report"],
  [/^capacity\.json$/, "capacity search"],
  [/\.html?$/, "HTML report"],
];

/**
 * What a file written by a run is, from its name, or undefined when unknown.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { describeOutputFile } from "./outputs_list.ts";
 * assert.equal(describeOutputFile("out/run_stats.csv"), "Locust stats (CSV)");
 * assert.equal(describeOutputFile("notes.txt"), undefined);
 * ```
 */
export function describeOutputFile(path: string): string | undefined {
  const name = basename(path);
  return KINDS.find(([pattern]) => pattern.test(name))?.[1];
}

/** Options of {@linkcode formatOutputsList}. */
export interface OutputsListOptions {
  /** Widest line (default unlimited); descriptions are left out when they would not fit. */
  width?: number;
  /** Files whose kind the name does not tell (e.g. the `--json` file), path → description. */
  kinds?: Readonly<Record<string, string>>;
}

/**
 * The `Outputs:` lines for `files` (a list of paths, or an output context's `filesWritten`),
 * without duplicates, sorted.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatOutputsList } from "./outputs_list.ts";
 * assert.deepEqual(formatOutputsList([]), ["Outputs: none written"]);
 * assert.deepEqual(
 *   formatOutputsList(["o/stats.json", "o/run_stats.csv"], { width: 20, kinds: { "o/stats.json": "statistics (JSON)" } }),
 *   ["Outputs:", "  o/run_stats.csv", "  o/stats.json"],
 * );
 * ```
 */
export function formatOutputsList(
  files: readonly string[] | OutputContext,
  options: OutputsListOptions = {},
): string[] {
  const list = Array.isArray(files)
    ? files as readonly string[]
    : (files as OutputContext).filesWritten?.() ?? [];
  const paths = [...new Set(list)].sort();
  if (paths.length === 0) return ["Outputs: none written"];
  const width = options.width ?? Infinity;
  const pathWidth = Math.max(...paths.map((p) => p.length));
  const described = paths.map((path) => {
    const kind = options.kinds?.[path] ?? describeOutputFile(path);
    return kind ? `  ${path.padEnd(pathWidth)}  ${kind}` : `  ${path}`;
  });
  const fits = described.every((line) => line.length <= width);
  return ["Outputs:", ...(fits ? described : paths.map((p) => `  ${p}`))];
}
