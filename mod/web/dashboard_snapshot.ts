/**
 * What the web UI's live feed sends: a JSON-ready picture of the run (stats
 * table rows as Locust shows them, failures, exceptions, job statistics, the
 * user mix, new timeline points, the generator's CPU and memory). Built from
 * an {@linkcode OutputContext}; pure apart from reading it. The message's
 * types are in `wire.ts`.
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { statsRow } from "./dashboard_snapshot.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 20, length: 5, at: 1000 });
 * if (statsRow(stats.total).requests !== 1) throw new Error("one request");
 * ```
 * @module
 */
import type { StatsAggregator, StatsEntry } from "../stats/aggregator.ts";
import type { OutputContext } from "../output/output.ts";
import { JOB_STATUSES } from "../model/job_record.ts";
import { kindOfUser } from "../config/user_mix.ts";
import type {
  DashboardSnapshot,
  SessionStatus,
  StatsRow,
  SystemUsage,
  UserMixRow,
} from "../frontend/wire.ts";

export type { DashboardSnapshot, RunState, SessionStatus, StatsRow } from "../frontend/wire.ts";

/** Most failure and exception rows sent in one snapshot. */
export const MAX_ERROR_ROWS = 200;

/** The request type whose rate is the header's RPS (submissions, not completions). */
export const SUBMIT_TYPE = "Submit Image";

/**
 * A Locust web-table row of one statistics entry; response times are null
 * while the entry has no request (unknown, not 0).
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { statsRow } from "./dashboard_snapshot.ts";
 * const row = statsRow(new StatsAggregator(0).total);
 * if (row.name !== "Aggregated" || row.median !== null) throw new Error("empty row");
 * ```
 */
export function statsRow(entry: StatsEntry): StatsRow {
  const empty = entry.numRequests === 0;
  return {
    type: entry.type,
    name: entry.name,
    requests: entry.numRequests,
    failures: entry.numFailures,
    median: empty ? null : entry.medianResponseTime,
    p95: empty ? null : entry.percentile(0.95),
    p99: empty ? null : entry.percentile(0.99),
    avg: empty ? null : entry.avgResponseTime,
    min: entry.minResponseTime,
    max: empty ? null : entry.maxResponseTime,
    avgSize: entry.avgContentLength,
    currentRps: entry.currentRps,
    currentFailPerSec: entry.currentFailPerSec,
  };
}

/**
 * Current requests/s of one request type (the sum of its entries' current rates).
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { typeRps } from "./dashboard_snapshot.ts";
 * if (typeRps(new StatsAggregator(0), "Submit Image") !== 0) throw new Error("nothing sent");
 * ```
 */
export function typeRps(stats: StatsAggregator, type: string): number {
  let sum = 0;
  for (const entry of stats.entries()) if (entry.type === type) sum += entry.currentRps;
  return sum;
}

/**
 * The user mix with `users` running: each kind's share by weight and its
 * users, assigned by index as the user workers do (`kindOfUser`).
 *
 * @example
 * ```ts
 * import { userMixRows } from "./dashboard_snapshot.ts";
 * const rows = userMixRows([{ kind: "predefined", weight: 3 }, { kind: "random", weight: 1 }], 4);
 * if (rows[0]!.users !== 3 || rows[1]!.share !== 0.25) throw new Error(JSON.stringify(rows));
 * ```
 */
export function userMixRows(
  mix: readonly { kind: string; weight: number }[],
  users: number,
): UserMixRow[] {
  const total = mix.reduce((sum, m) => sum + m.weight, 0);
  const counts = new Map(mix.map((m) => [m.kind, 0]));
  const cycle = Math.max(1, total);
  // Kinds repeat every `total` users: count one cycle, then the remainder.
  const full = Math.floor(users / cycle);
  for (let i = 0; i < Math.min(users, cycle); i++) {
    const kind = kindOfUser([...mix], i);
    const inRemainder = i < users % cycle ? 1 : 0;
    counts.set(kind, (counts.get(kind) ?? 0) + full + inRemainder);
  }
  return mix.map((m) => ({
    kind: m.kind,
    weight: m.weight,
    share: total > 0 ? m.weight / total : 0,
    users: counts.get(m.kind) ?? 0,
  }));
}

const EMPTY_ROW: StatsRow = {
  type: "",
  name: "Aggregated",
  requests: 0,
  failures: 0,
  median: null,
  p95: null,
  p99: null,
  avg: null,
  min: null,
  max: null,
  avgSize: 0,
  currentRps: 0,
  currentFailPerSec: 0,
};

/**
 * Build a snapshot of `ctx` (or of nothing, before the first run). Timeline
 * points before `timelineFrom` are left out: the client already has them.
 *
 * @example
 * ```ts
 * import { buildSnapshot } from "./dashboard_snapshot.ts";
 * import { SystemUsageSampler } from "./system_usage.ts";
 * const snap = buildSnapshot(undefined, {
 *   runId: 0, state: "idle", stopMode: null, downloads: [], mix: [], completionTimeoutS: null,
 * }, 0, new SystemUsageSampler().sample());
 * if (snap.stats.length !== 0 || snap.phase !== null) throw new Error("nothing yet");
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
  if (ctx?.jobStatusCounts) {
    // Counted by the tracker: no walk over every job each second.
    for (const [status, n] of Object.entries(ctx.jobStatusCounts())) counts[status] = n;
  } else if (ctx?.jobRecords) {
    for (const record of Object.values(ctx.jobRecords())) {
      counts[record.status] = (counts[record.status] ?? 0) + 1;
    }
  }
  const timeline = ctx ? ctx.timeline() : [];
  const from = Math.max(0, Math.min(timelineFrom, timeline.length));
  const failures = ctx ? ctx.stats.failures() : [];
  const exceptions = ctx ? ctx.stats.exceptions() : [];
  const users = ctx ? ctx.userCount() : 0;
  return {
    ...status,
    now,
    users,
    userMix: userMixRows(status.mix, users),
    startedAt: ctx ? ctx.startedAt : null,
    stoppedAt: ctx?.stoppedAt() ?? null,
    phase: ctx?.phase?.() ?? null,
    drainDeadline: ctx?.drainDeadline?.() ?? null,
    stats: ctx ? ctx.stats.entries().map(statsRow) : [],
    total: ctx ? statsRow(ctx.stats.total) : EMPTY_ROW,
    submitRps: ctx ? typeRps(ctx.stats, SUBMIT_TYPE) : 0,
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
