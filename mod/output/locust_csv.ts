/**
 * Locust's CSV files (`--csv PREFIX`), cell for cell as Locust 2.46.3 writes
 * them (see `LOCUST_VERSION`): `PREFIX_stats.csv`, `PREFIX_stats_history.csv`
 * (exactly Locust's 24 columns, at most one row a second),
 * `PREFIX_failures.csv` and `PREFIX_exceptions.csv`. Headers, column order,
 * Python number formats (`repr` floats, ints kept ints, `%2f` rates, int
 * percentiles, `N/A`), CRLF line ends and minimal quoting as Python's
 * `csv.writer`. Stats, failures and exceptions are rewritten every tick
 * (atomically: temporary file + rename); the history gets rows appended.
 *
 * The job columns (jobs in flight, queue backlog, completions, job latency)
 * go to a fifth file of this tool's own, `PREFIX_jobs_history.csv`, one row
 * per timeline point and at most one a second; see {@linkcode JOBS_HISTORY_CSV_HEADER}.
 *
 * @example
 * ```ts
 * import { createLocustCsvOutput } from "./locust_csv.ts";
 * const csv = createLocustCsvOutput({ prefix: "out/run1", fullHistory: false });
 * if (csv.name !== "csv") throw new Error("named csv");
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
import { pythonFixed, pythonFloatRepr, pythonInt, pythonNumber } from "../stats/python_format.ts";
import { PERCENTILES_TO_REPORT, readablePercentiles } from "../stats/response_times.ts";
import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import { AppendedFile } from "../fs/appended_file.ts";
import type { Output, OutputContext } from "./output.ts";
import type { TimelinePoint } from "../model/run_report.ts";

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

/** Header of `_stats_history.csv`: exactly Locust's 24 columns. */
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
];

/**
 * Header of `_jobs_history.csv` (this tool's own file, not Locust's): one row
 * per timeline point, at most one a second.
 *
 * - `Timestamp`: Unix seconds of the point; `User Count`: users running.
 * - `Jobs In Flight`: jobs sent with no terminal status yet.
 * - `Queue Backlog`: the request queue's messages (visible + in flight); an
 *   empty cell when it was not sampled or could not be read (never 0).
 * - `Jobs Succeeded`, `Jobs Failed` (FAILED only), `Jobs Partial`,
 *   `Jobs Timed Out`: cumulative counts by final status;
 *   `Jobs Completed`: succeeded + failed + partial (a terminal status came).
 * - `Job Latency 50%`, `Job Latency 95%`: percentiles (int ms, Locust's
 *   buckets) of every `Job Complete` sample so far, failures included, as
 *   `_stats_history.csv` gives cumulative percentiles; empty before the first.
 */
export const JOBS_HISTORY_CSV_HEADER: readonly string[] = [
  "Timestamp",
  "User Count",
  "Jobs In Flight",
  "Queue Backlog",
  "Jobs Succeeded",
  "Jobs Failed",
  "Jobs Partial",
  "Jobs Timed Out",
  "Jobs Completed",
  "Job Latency 50%",
  "Job Latency 95%",
];

/** The request type of the end-to-end job entries (`mod/engine/job_complete_sample.ts`). */
const JOB_COMPLETE = "Job Complete";

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
 * if (toCsv([["a", "b,c"]]) !== 'a,"b,c"\r\n') throw new Error("quoted, CRLF");
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
 * if (formatUtcTimestamp(0) !== "1970-01-01T00:00:00Z") throw new Error("whole seconds, Z");
 * ```
 */
export function formatUtcTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The seven cumulative cells shared by both stats files: count … average
 * content size. The median is an int bucket unless clamped to the min or max;
 * min (`min or 0`) and max keep the type of the sample they came from.
 */
function cumulativeCells(e: StatsEntry): string[] {
  const min = e.minResponseTime;
  return [
    String(e.numRequests),
    String(e.numFailures),
    pythonNumber(e.medianResponseTime, e.medianIsInt),
    pythonFloatRepr(e.avgResponseTime),
    min === null || min === 0 ? "0" : pythonNumber(min, e.minIsInt),
    pythonNumber(e.maxResponseTime, e.maxIsInt),
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
 * if (statsCsvRows(new StatsAggregator(0))[0]?.[1] !== "Aggregated") throw new Error("total row");
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
 * percentiles). Locust's 24 columns.
 *
 * @example
 * ```ts
 * import { statsHistoryCsvRows } from "./locust_csv.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * const [row] = statsHistoryCsvRows(new StatsAggregator(0), { now: 5000, userCount: 2, fullHistory: false });
 * if (row?.length !== 24 || row[4] !== "0.000000") throw new Error("24 cells, %2f rates");
 * ```
 */
export function statsHistoryCsvRows(
  stats: StatsAggregator,
  options: { now: number; userCount: number; fullHistory: boolean },
): string[][] {
  const { now, userCount, fullHistory } = options;
  const entries = fullHistory ? [...stats.entries(), stats.total] : [stats.total];
  return entries.map((e) => [
    pythonInt(Math.floor(now / 1000)),
    String(userCount),
    e.type,
    e.name,
    pythonFixed(e.currentRps, 6),
    pythonFixed(e.currentFailPerSec, 6),
    ...percentileCells(e, fullHistory, now),
    ...cumulativeCells(e),
  ]);
}

/** Job latency percentiles for `_jobs_history.csv`: int ms, or null before the first job. */
export interface JobLatencyPercentiles {
  p50: number | null;
  p95: number | null;
}

/**
 * The 50th and 95th percentiles (int ms, Locust's buckets) of every
 * `Job Complete` sample so far, all entries merged; null when there is none.
 *
 * @example
 * ```ts
 * import { jobLatencyPercentiles } from "./locust_csv.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * const stats = new StatsAggregator(0);
 * if (jobLatencyPercentiles(stats).p50 !== null) throw new Error("unknown before the first job");
 * stats.record({ type: "Job Complete", name: "a.tif:m", responseTimeMs: 61_234, length: 0, at: 1000 });
 * if (jobLatencyPercentiles(stats).p95 !== 61_000) throw new Error("bucketed to 61 s");
 * ```
 */
export function jobLatencyPercentiles(stats: StatsAggregator): JobLatencyPercentiles {
  const jobs = stats.mergedType(JOB_COMPLETE);
  if (jobs === undefined || jobs.numRequests - jobs.numNoneRequests === 0) {
    return { p50: null, p95: null };
  }
  return { p50: jobs.percentile(0.5), p95: jobs.percentile(0.95) };
}

/**
 * One `_jobs_history.csv` row (see {@linkcode JOBS_HISTORY_CSV_HEADER}) from
 * a timeline point and the job latency at that time. Unknown values
 * (backlog, latency before the first job) are empty cells, never 0.
 *
 * @example
 * ```ts
 * import { jobsHistoryCsvRow } from "./locust_csv.ts";
 * const row = jobsHistoryCsvRow({
 *   t: 1_700_000_001_500, users: 3, rps: 1, fps: 0, p50: 10, p95: 20, p99: 30,
 *   jobsInFlight: 2, jobsSucceeded: 5, jobsFailed: 1, jobsPartial: 1, jobsTimedOut: 0,
 *   gbProcessed: 0, pixelsProcessed: 0,
 * }, { p50: 41_000, p95: null });
 * if (row.join() !== "1700000001,3,2,,5,1,1,0,7,41000,") throw new Error(row.join());
 * ```
 */
export function jobsHistoryCsvRow(point: TimelinePoint, latency: JobLatencyPercentiles): string[] {
  // `queueDepth` is absent when not sampled and null when it could not be read.
  const backlog: number | null | undefined = point.queueDepth;
  const cell = (n: number | null | undefined) =>
    n === null || n === undefined || !Number.isFinite(n) ? "" : pythonInt(n);
  return [
    pythonInt(Math.floor(point.t / 1000)),
    String(point.users),
    cell(point.jobsInFlight),
    cell(backlog),
    cell(point.jobsSucceeded),
    cell(point.jobsFailed),
    cell(point.jobsPartial),
    cell(point.jobsTimedOut),
    cell(point.jobsSucceeded + point.jobsFailed + point.jobsPartial),
    cell(latency.p50),
    cell(latency.p95),
  ];
}

/**
 * The data rows of `_failures.csv`, in Locust's order (by SHA-256 key).
 *
 * @example
 * ```ts
 * import { failuresCsvRows } from "./locust_csv.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * if (failuresCsvRows(new StatsAggregator(0).sortedFailures()).length !== 0) throw new Error("none");
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
 * if (exceptionsCsvRows([]).length !== 0) throw new Error("none");
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
  /** Write `PREFIX_jobs_history.csv` from the timeline (default true; a replay has no jobs). */
  jobsHistory?: boolean;
  /**
   * At finish, append a last history row unless one was written in that
   * second (default true). Locust itself writes rows only on its 1 s ticks;
   * a replay of its stream turns this off.
   */
  historyAtFinish?: boolean;
}

/**
 * The four file paths for a prefix (after removing every `.json`, as upstream does).
 *
 * @example
 * ```ts
 * import { locustCsvPaths } from "./locust_csv.ts";
 * if (locustCsvPaths("out/run.json").stats !== "out/run_stats.csv") throw new Error("no .json");
 * ```
 */
export function locustCsvPaths(prefix: string): {
  stats: string;
  history: string;
  failures: string;
  exceptions: string;
  jobsHistory: string;
} {
  const base = prefix.split(".json").join("");
  return {
    stats: `${base}_stats.csv`,
    history: `${base}_stats_history.csv`,
    failures: `${base}_failures.csv`,
    exceptions: `${base}_exceptions.csv`,
    jobsHistory: `${base}_jobs_history.csv`,
  };
}

/**
 * The Locust CSV output: writes the files at start, rewrites stats, failures
 * and exceptions on every tick whose content changed and at finish, and appends a history row on
 * every tick (and at finish) whose second has no row yet: at most one row a
 * second. `PREFIX_jobs_history.csv` gets a row for the latest timeline point
 * under the same rule. The two history files stay open for appending until finish, so an idle
 * second costs two writes, not some twenty file operations.
 *
 * @example
 * ```ts
 * import { createLocustCsvOutput } from "./locust_csv.ts";
 * const output = createLocustCsvOutput({ prefix: "results/run.json", fullHistory: true });
 * if (output.name !== "csv") throw new Error("writes results/run_stats.csv, ...");
 * ```
 */
export function createLocustCsvOutput(options: LocustCsvOptions): Output {
  const paths = locustCsvPaths(options.prefix);
  const jobsHistory = options.jobsHistory ?? true;
  const historyAtFinish = options.historyAtFinish ?? true;
  let started: Promise<void> | undefined;
  let queue: Promise<void> = Promise.resolve();
  let lastHistorySecond = -Infinity;
  let lastJobsSecond = -Infinity;

  const history = new AppendedFile(paths.history);
  const jobs = new AppendedFile(paths.jobsHistory);
  const init = () => {
    started ??= (async () => {
      await Deno.mkdir(dirname(paths.stats), { recursive: true });
      await history.create(toCsv([STATS_HISTORY_CSV_HEADER]));
      if (jobsHistory) await jobs.create(toCsv([JOBS_HISTORY_CSV_HEADER]));
    })();
    return started;
  };

  /** What each rewritten file holds now: an unchanged one is not written again. */
  const written = new Map<string, string>();
  const rewriteIfChanged = async (path: string, text: string) => {
    if (written.get(path) === text) return;
    written.delete(path);
    await writeTextFileAtomic(path, text);
    written.set(path, text);
  };
  const rewrite = async (ctx: OutputContext) => {
    const stats = ctx.stats;
    await Promise.all([
      rewriteIfChanged(paths.stats, toCsv([STATS_CSV_HEADER, ...statsCsvRows(stats)])),
      rewriteIfChanged(
        paths.failures,
        toCsv([FAILURES_CSV_HEADER, ...failuresCsvRows(stats.sortedFailures())]),
      ),
      rewriteIfChanged(
        paths.exceptions,
        toCsv([EXCEPTIONS_CSV_HEADER, ...exceptionsCsvRows(stats.exceptions())]),
      ),
    ]);
  };

  /**
   * At most one row a second (a late tick and the next can share one); at the end (`last`) the
   * final state replaces the row of its second, so the last row always matches `_stats.csv`.
   */
  const appendHistory = async (ctx: OutputContext, now: number, last = false) => {
    const second = Math.floor(now / 1000);
    const same = second <= lastHistorySecond;
    if (same && !last) return;
    lastHistorySecond = Math.max(second, lastHistorySecond);
    const rows = statsHistoryCsvRows(ctx.stats, {
      now,
      userCount: ctx.userCount(),
      fullHistory: options.fullHistory,
    });
    await history.append(toCsv(rows), same);
  };

  const appendJobs = async (ctx: OutputContext, last = false) => {
    if (!jobsHistory) return;
    const timeline = ctx.timeline();
    const point = timeline[timeline.length - 1];
    if (point === undefined) return;
    const second = Math.floor(point.t / 1000);
    const same = second <= lastJobsSecond;
    if (same && !last) return;
    lastJobsSecond = Math.max(second, lastJobsSecond);
    const row = jobsHistoryCsvRow(point, jobLatencyPercentiles(ctx.stats));
    await jobs.append(toCsv([row]), same);
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
        // The history files are written through open handles: a folder removed mid-run must
        // still fail the output, as it did when every row opened the file by its path.
        await history.check();
        if (jobsHistory) await jobs.check();
        await rewrite(ctx);
        await appendHistory(ctx, now);
        await appendJobs(ctx);
      });
    },
    finish(ctx) {
      return enqueue(async () => {
        await init();
        await rewrite(ctx);
        try {
          if (historyAtFinish) await appendHistory(ctx, ctx.stoppedAt() ?? Date.now(), true);
          await appendJobs(ctx, true);
        } finally {
          history.close();
          jobs.close();
        }
      });
    },
  };
}
