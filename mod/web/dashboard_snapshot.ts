/**
 * What the web UI's live feed sends: a JSON-ready picture of the run (stats
 * table rows as Locust shows them, failures, exceptions, job statistics, new
 * timeline points, the generator's CPU and memory). Built from an
 * {@linkcode OutputContext}; pure apart from reading it.
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { statsRow } from "./dashboard_snapshot.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 20, length: 5, at: 1000 });
 * statsRow(stats.total).requests; // 1
 * ```
 * @module
 */
import type { StatsEntry } from "../stats/aggregator.ts";
import type { OutputContext } from "../output/output.ts";
import type { JobStatistics, TimelinePoint } from "../output/run_report.ts";
import { JOB_STATUSES } from "../tracker/job_record.ts";
import type { SystemUsage } from "./system_usage.ts";

/** Most failure and exception rows sent in one snapshot. */
export const MAX_ERROR_ROWS = 200;

/** One row of the Locust-like statistics table. */
export interface StatsRow {
  type: string;
  name: string;
  requests: number;
  failures: number;
  /** Response times in ms. */
  median: number;
  p95: number;
  p99: number;
  avg: number;
  min: number;
  max: number;
  /** Average content size in bytes (mean image size for `Submit Image`). */
  avgSize: number;
  currentRps: number;
  currentFailPerSec: number;
}

/** One failure group (a `_failures.csv` row). */
export interface FailureRow {
  method: string;
  name: string;
  error: string;
  occurrences: number;
  firstSeen: number;
  lastSeen: number;
}

/** One exception group (an `_exceptions.csv` row). */
export interface ExceptionRow {
  count: number;
  message: string;
  traceback: string;
  nodes: string;
}

/** Where the web session is. */
export type RunState = "idle" | "preparing" | "running" | "stopping" | "finished";

/** The run-independent part of a snapshot, supplied by the session. */
export interface SessionStatus {
  /** Increases with every started run; 0 before the first. */
  runId: number;
  state: RunState;
  /** Last error (a refused start, a failed run), for the banner. */
  error?: string;
  /** Exit code and reason of the finished run. */
  result?: { exitCode: number; reason: string };
  /** Download names available now. */
  downloads: string[];
}

/** The whole message of one `snapshot` event. */
export interface DashboardSnapshot extends SessionStatus {
  /** Server time of the snapshot (ms since epoch). */
  now: number;
  users: number;
  startedAt: number | null;
  stoppedAt: number | null;
  stats: StatsRow[];
  total: StatsRow;
  failRatio: number;
  failures: FailureRow[];
  failureCount: number;
  exceptions: ExceptionRow[];
  exceptionCount: number;
  jobs: JobStatistics | null;
  /** Job records by status (STARTED, IN_PROGRESS, SUCCESS, PARTIAL, FAILED). */
  jobStatusCounts: Record<string, number>;
  /** Timeline points from index `timelineFrom` on (the client appends them). */
  timelineFrom: number;
  timeline: TimelinePoint[];
  system: SystemUsage;
}

/**
 * A Locust web-table row of one statistics entry.
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { statsRow } from "./dashboard_snapshot.ts";
 * statsRow(new StatsAggregator(0).total).name; // "Aggregated"
 * ```
 */
export function statsRow(entry: StatsEntry): StatsRow {
  const empty = entry.numRequests === 0;
  return {
    type: entry.type,
    name: entry.name,
    requests: entry.numRequests,
    failures: entry.numFailures,
    median: entry.medianResponseTime,
    p95: empty ? 0 : entry.percentile(0.95),
    p99: empty ? 0 : entry.percentile(0.99),
    avg: entry.avgResponseTime,
    min: entry.minResponseTime ?? 0,
    max: entry.maxResponseTime,
    avgSize: entry.avgContentLength,
    currentRps: entry.currentRps,
    currentFailPerSec: entry.currentFailPerSec,
  };
}

/**
 * Build a snapshot of `ctx` (or of nothing, before the first run). Timeline
 * points before `timelineFrom` are left out: the client already has them.
 *
 * @example
 * ```ts
 * import { buildSnapshot } from "./dashboard_snapshot.ts";
 * import { SystemUsageSampler } from "./system_usage.ts";
 * const snap = buildSnapshot(undefined, { runId: 0, state: "idle", downloads: [] }, 0,
 *   new SystemUsageSampler().sample());
 * snap.stats.length; // 0
 * ```
 */
export function buildSnapshot(
  ctx: OutputContext | undefined,
  status: SessionStatus,
  timelineFrom: number,
  system: SystemUsage,
  now: number = Date.now(),
): DashboardSnapshot {
  const counts: Record<string, number> = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0]));
  if (ctx?.jobRecords) {
    for (const record of Object.values(ctx.jobRecords())) {
      counts[record.status] = (counts[record.status] ?? 0) + 1;
    }
  }
  const timeline = ctx ? ctx.timeline() : [];
  const from = Math.max(0, Math.min(timelineFrom, timeline.length));
  const failures = ctx ? ctx.stats.failures() : [];
  const exceptions = ctx ? ctx.stats.exceptions() : [];
  const empty: StatsRow = {
    type: "",
    name: "Aggregated",
    requests: 0,
    failures: 0,
    median: 0,
    p95: 0,
    p99: 0,
    avg: 0,
    min: 0,
    max: 0,
    avgSize: 0,
    currentRps: 0,
    currentFailPerSec: 0,
  };
  return {
    ...status,
    now,
    users: ctx ? ctx.userCount() : 0,
    startedAt: ctx ? ctx.startedAt : null,
    stoppedAt: ctx?.stoppedAt() ?? null,
    stats: ctx ? ctx.stats.entries().map(statsRow) : [],
    total: ctx ? statsRow(ctx.stats.total) : empty,
    failRatio: ctx ? ctx.stats.failRatio : 0,
    failures: [...failures]
      .sort((a, b) => b.occurrences - a.occurrences)
      .slice(0, MAX_ERROR_ROWS)
      .map((f) => ({
        method: f.method,
        name: f.name,
        error: f.error,
        occurrences: f.occurrences,
        firstSeen: f.firstSeen,
        lastSeen: f.lastSeen,
      })),
    failureCount: failures.length,
    exceptions: exceptions.slice(0, MAX_ERROR_ROWS).map((e) => ({
      count: e.count,
      message: e.message,
      traceback: e.traceback,
      nodes: e.nodes.join(", "),
    })),
    exceptionCount: exceptions.length,
    jobs: ctx ? ctx.jobs() : null,
    jobStatusCounts: counts,
    timelineFrom: from,
    timeline: timeline.slice(from),
    system,
  };
}
