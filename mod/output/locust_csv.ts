/**
 * Locust 2.44+'s CSV files (`--csv PREFIX`), cell for cell: `PREFIX_stats.csv`,
 * `PREFIX_stats_history.csv`, `PREFIX_failures.csv` and `PREFIX_exceptions.csv`.
 * Headers, column order, Python number formats (`repr` floats, `%2f` rates,
 * int percentiles, `N/A`), CRLF line ends and minimal quoting as Python's
 * `csv.writer`. Stats, failures and exceptions are rewritten every tick
 * (atomically: temporary file + rename); the history gets rows appended.
 * The history has two columns after Locust's 24: `Jobs In Flight` and
 * `Queue Backlog`, from the latest timeline point (empty when unknown).
 *
 * @example
 * ```ts
 * import { createLocustCsvOutput } from "./locust_csv.ts";
 * const csv = createLocustCsvOutput({ prefix: "out/run1", fullHistory: false });
 * // engine: await csv.start?.(ctx); every second: await csv.tick?.(ctx, Date.now()); at the end: await csv.finish(ctx);
 * ```
 * @module
 */

import { dirname } from "node:path";
import { stringify } from "csv-stringify/sync";
import type {
  StatsAggregator,
  StatsEntry,
  StatsException,
  StatsFailure,
} from "../stats/aggregator.ts";
import { pythonFixed, pythonFloatRepr, pythonInt } from "../stats/python_format.ts";
import { PERCENTILES_TO_REPORT, readablePercentiles } from "../stats/response_times.ts";
import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import type { Output, OutputContext } from "./output.ts";
import type { TimelinePoint } from "./run_report.ts";

/** Header of `_stats.csv` (22 columns). */
export const STATS_CSV_HEADER: readonly string[] = [
  "Type",
  "Name",
  "Request Count",
  "Failure Count",
  "Median Response Time",
  "Average Response Time",
  "Min Response Time",
  "Max Response Time",
  "Average Content Size",
  "Requests/s",
  "Failures/s",
  ...readablePercentiles(PERCENTILES_TO_REPORT),
];

/** Header of `_stats_history.csv`: Locust's 24 columns, then `Jobs In Flight`, `Queue Backlog`. */
export const STATS_HISTORY_CSV_HEADER: readonly string[] = [
  "Timestamp",
  "User Count",
  "Type",
  "Name",
  "Requests/s",
  "Failures/s",
  ...readablePercentiles(PERCENTILES_TO_REPORT),
  "Total Request Count",
  "Total Failure Count",
  "Total Median Response Time",
  "Total Average Response Time",
  "Total Min Response Time",
  "Total Max Response Time",
  "Total Average Content Size",
  "Jobs In Flight",
  "Queue Backlog",
];

/** Header of `_failures.csv` (Locust ≥ 2.44). */
export const FAILURES_CSV_HEADER: readonly string[] = [
  "Method",
  "Name",
  "Error",
  "Occurrences",
  "First Seen",
  "Last Seen",
];

/** Header of `_exceptions.csv`. */
export const EXCEPTIONS_CSV_HEADER: readonly string[] = ["Count", "Message", "Traceback", "Nodes"];

/**
 * Rows as Python's `csv.writer` writes them: comma, CRLF, quotes only where a
 * field holds a comma, a quote, CR or LF.
 *
 * @example
 * ```ts
 * import { toCsv } from "./locust_csv.ts";
 * toCsv([["a", "b,c"]]); // 'a,"b,c"\r\n'
 * ```
 */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { record_delimiter: "\r\n", quoted_match: /[\r\n]/ });
}

/**
 * Locust's `format_utc_timestamp`: `YYYY-MM-DDTHH:MM:SSZ`.
 *
 * @example
 * ```ts
 * import { formatUtcTimestamp } from "./locust_csv.ts";
 * formatUtcTimestamp(0); // "1970-01-01T00:00:00Z"
 * ```
 */
export function formatUtcTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The seven cumulative cells shared by both stats files: count … average content size. */
function cumulativeCells(e: StatsEntry): string[] {
  return [
    String(e.numRequests),
    String(e.numFailures),
    e.medianIsFloat ? pythonFloatRepr(e.medianResponseTime) : pythonInt(e.medianResponseTime),
    pythonFloatRepr(e.avgResponseTime),
    e.minResponseTime ? pythonFloatRepr(e.minResponseTime) : "0",
    e.maxResponseTime > 0 ? pythonFloatRepr(e.maxResponseTime) : "0",
    e.numRequests === 0 ? "0" : pythonFloatRepr(e.avgContentLength),
  ];
}

function percentileCells(e: StatsEntry, current: boolean, now: number): string[] {
  if (e.numRequests === 0) return PERCENTILES_TO_REPORT.map(() => "N/A");
  return PERCENTILES_TO_REPORT.map((p) =>
    pythonInt(current ? (e.currentPercentile(p, now) ?? 0) : e.percentile(p))
  );
}

/**
 * The data rows of `_stats.csv`: one per entry sorted by (name, type), then
 * the Aggregated row (empty Type).
 *
 * @example
 * ```ts
 * import { statsCsvRows } from "./locust_csv.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * statsCsvRows(new StatsAggregator(0))[0]?.[1]; // "Aggregated"
 * ```
 */
export function statsCsvRows(stats: StatsAggregator): string[][] {
  return [...stats.entries(), stats.total].map((e) => {
    const [count, failures, ...rest] = cumulativeCells(e);
    return [
      e.type,
      e.name,
      count ?? "",
      failures ?? "",
      ...rest,
      pythonFloatRepr(e.totalRps),
      pythonFloatRepr(e.totalFailPerSec),
      ...percentileCells(e, false, 0),
    ];
  });
}

/**
 * The rows one tick appends to `_stats_history.csv`: the Aggregated row, after
 * one row per entry when `fullHistory` (then every row uses current-window
 * percentiles).
 *
 * @example
 * ```ts
 * import { statsHistoryCsvRows } from "./locust_csv.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * statsHistoryCsvRows(new StatsAggregator(0), { now: 5000, userCount: 2, fullHistory: false })[0]?.[4]; // "0.000000"
 * ```
 */
export function statsHistoryCsvRows(
  stats: StatsAggregator,
  options: {
    now: number;
    userCount: number;
    fullHistory: boolean;
    point?: TimelinePoint | undefined;
  },
): string[][] {
  const { now, userCount, fullHistory, point } = options;
  const entries = fullHistory ? [...stats.entries(), stats.total] : [stats.total];
  const inFlight = point === undefined ? "" : String(point.jobsInFlight);
  const backlog = point?.queueDepth === undefined ? "" : String(point.queueDepth);
  return entries.map((e) => [
    pythonInt(Math.floor(now / 1000)),
    String(userCount),
    e.type,
    e.name,
    pythonFixed(e.currentRps, 6),
    pythonFixed(e.currentFailPerSec, 6),
    ...percentileCells(e, fullHistory, now),
    ...cumulativeCells(e),
    inFlight,
    backlog,
  ]);
}

/**
 * The data rows of `_failures.csv`, in Locust's order (by SHA-256 key).
 *
 * @example
 * ```ts
 * import { failuresCsvRows } from "./locust_csv.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * failuresCsvRows(new StatsAggregator(0)); // []
 * ```
 */
export function failuresCsvRows(failures: readonly StatsFailure[]): string[][] {
  return failures.map((f) => [
    f.method,
    f.name,
    f.error,
    String(f.occurrences),
    formatUtcTimestamp(f.firstSeen),
    formatUtcTimestamp(f.lastSeen),
  ]);
}

/**
 * The data rows of `_exceptions.csv`.
 *
 * @example
 * ```ts
 * import { exceptionsCsvRows } from "./locust_csv.ts";
 * exceptionsCsvRows([]); // []
 * ```
 */
export function exceptionsCsvRows(exceptions: readonly StatsException[]): string[][] {
  return exceptions.map((e) => [String(e.count), e.message, e.traceback, e.nodes.join(", ")]);
}

/** Options of {@linkcode createLocustCsvOutput}. */
export interface LocustCsvOptions {
  /** File prefix, e.g. `out/run1`; every `.json` in it is removed, as upstream does. */
  prefix: string;
  /** Also append one history row per entry each tick (`--csv-full-history`). */
  fullHistory: boolean;
}

/**
 * The four file paths for a prefix (after removing every `.json`, as upstream does).
 *
 * @example
 * ```ts
 * import { locustCsvPaths } from "./locust_csv.ts";
 * locustCsvPaths("out/run.json").stats; // "out/run_stats.csv"
 * ```
 */
export function locustCsvPaths(prefix: string): {
  stats: string;
  history: string;
  failures: string;
  exceptions: string;
} {
  const base = prefix.split(".json").join("");
  return {
    stats: `${base}_stats.csv`,
    history: `${base}_stats_history.csv`,
    failures: `${base}_failures.csv`,
    exceptions: `${base}_exceptions.csv`,
  };
}

/**
 * The Locust CSV output: writes the four files at start, rewrites stats,
 * failures and exceptions on every tick and at finish, and appends history
 * rows on every tick (and at finish, unless a row for that second exists).
 *
 * @example
 * ```ts
 * import { createLocustCsvOutput } from "./locust_csv.ts";
 * const output = createLocustCsvOutput({ prefix: "results/run.json", fullHistory: true });
 * output.name; // "csv" — writes results/run_stats.csv, ...
 * ```
 */
export function createLocustCsvOutput(options: LocustCsvOptions): Output {
  const paths = locustCsvPaths(options.prefix);
  let started: Promise<void> | undefined;
  let queue: Promise<void> = Promise.resolve();
  let lastHistorySecond: number | undefined;

  const init = () => {
    started ??= (async () => {
      await Deno.mkdir(dirname(paths.stats), { recursive: true });
      await Deno.writeTextFile(paths.history, toCsv([STATS_HISTORY_CSV_HEADER]));
    })();
    return started;
  };

  const rewrite = async (ctx: OutputContext) => {
    const stats = ctx.stats;
    await Promise.all([
      writeTextFileAtomic(paths.stats, toCsv([STATS_CSV_HEADER, ...statsCsvRows(stats)])),
      writeTextFileAtomic(
        paths.failures,
        toCsv([FAILURES_CSV_HEADER, ...failuresCsvRows(stats.sortedFailures())]),
      ),
      writeTextFileAtomic(
        paths.exceptions,
        toCsv([EXCEPTIONS_CSV_HEADER, ...exceptionsCsvRows(stats.exceptions())]),
      ),
    ]);
  };

  const appendHistory = async (ctx: OutputContext, now: number) => {
    const timeline = ctx.timeline();
    const rows = statsHistoryCsvRows(ctx.stats, {
      now,
      userCount: ctx.userCount(),
      fullHistory: options.fullHistory,
      point: timeline[timeline.length - 1],
    });
    await Deno.writeTextFile(paths.history, toCsv(rows), { append: true });
    lastHistorySecond = Math.floor(now / 1000);
  };

  // Ticks and finish run one after another, never interleaved.
  const enqueue = (job: () => Promise<void>) => {
    const next = queue.then(job);
    queue = next.catch(() => {});
    return next;
  };

  return {
    name: "csv",
    start(ctx) {
      return enqueue(async () => {
        await init();
        await rewrite(ctx);
      });
    },
    tick(ctx, now) {
      return enqueue(async () => {
        await init();
        await rewrite(ctx);
        await appendHistory(ctx, now);
      });
    },
    finish(ctx) {
      return enqueue(async () => {
        await init();
        await rewrite(ctx);
        const now = ctx.stoppedAt() ?? Date.now();
        if (lastHistorySecond !== Math.floor(now / 1000)) await appendHistory(ctx, now);
      });
    },
  };
}
