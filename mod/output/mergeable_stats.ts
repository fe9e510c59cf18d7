/**
 * The mergeable statistics file, `LOG_DIR/osml-load-stats.json` (always
 * written): what `osml-load merge` needs to combine several generators into
 * the outputs of one run (schema in `docs/json-schema.md`). A history row is
 * recorded on every tick whose second has none yet (as `_stats_history.csv`
 * gets one); the file is rewritten atomically every `intervalMs` (the run's
 * `--stats-interval`), and at finish with `"final": true`, so a generator
 * that dies leaves what it had.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { createMergeableStatsOutput } from "./mergeable_stats.ts";
 * const output = createMergeableStatsOutput({ path: "logs/osml-load-stats.json", generator: { index: 0 } });
 * assert.equal(output.name, "mergeable-stats");
 * ```
 * @module
 */

import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import { LOCUST_VERSION } from "../stats/locust_version.ts";
import {
  type GeneratorIdentity,
  historyInputOf,
  HistoryRecorder,
  MERGEABLE_STATS_SCHEMA,
  type MergeableHistoryRow,
  type MergeablePoint,
  type MergeableStats,
  snapshotStats,
} from "../stats/mergeable_stats.ts";
import { UsageError } from "../usage_error.ts";
import type { AwsEnv } from "../aws/aws_settings.ts";
import { processEnv } from "../aws/client_config.ts";
import type { Output, OutputContext } from "./output.ts";
import type { TimelinePoint } from "../model/run_report.ts";

/** Options of {@linkcode createMergeableStatsOutput}. */
export interface MergeableStatsOptions {
  /** The file, e.g. `logs/osml-load-stats.json`. */
  path: string;
  /** Rewrite the file at most this often while the run goes (ms; default 30 000). */
  intervalMs?: number;
  /** Who writes it; what is not given comes from {@linkcode resolveGeneratorIdentity}. */
  generator?: Partial<GeneratorIdentity>;
}

// Only what is already granted is read: a permission prompt must never stop a run.
function granted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

function hostname(env: AwsEnv): string | null {
  if (granted({ name: "sys", kind: "hostname" })) return Deno.hostname();
  return env.HOSTNAME || null;
}

/**
 * A generator's identity: what is given, else `OSML_LOAD_GENERATOR_INDEX`
 * (an int ≥ 0) and `OSML_LOAD_RUN_ID` from `env` (default what the process
 * may already read of its environment: no permission prompt), the host name
 * (or `HOSTNAME`), and a fresh run id. Throws a `UsageError` when the index
 * variable is not an int ≥ 0.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveGeneratorIdentity } from "./mergeable_stats.ts";
 * const id = resolveGeneratorIdentity({ index: 2, run_id: "run-7", host: "h" });
 * assert.deepEqual(id, { index: 2, host: "h", run_id: "run-7" });
 * const fromEnv = resolveGeneratorIdentity({ host: "h" }, {
 *   OSML_LOAD_GENERATOR_INDEX: "3",
 *   OSML_LOAD_RUN_ID: "run-8",
 * });
 * assert.deepEqual(fromEnv, { index: 3, host: "h", run_id: "run-8" });
 * ```
 */
export function resolveGeneratorIdentity(
  given: Partial<GeneratorIdentity> = {},
  env: AwsEnv = processEnv(),
): GeneratorIdentity {
  let index = given.index;
  if (index === undefined) {
    const text = env.OSML_LOAD_GENERATOR_INDEX || undefined;
    if (text !== undefined) {
      if (!/^\d+$/.test(text.trim())) {
        throw new UsageError(
          `OSML_LOAD_GENERATOR_INDEX is ${JSON.stringify(text)}: set it to the generator's ` +
            "index, an integer from 0, or unset it for a standalone run",
        );
      }
      index = Number(text.trim());
    }
  }
  return {
    index: index ?? null,
    host: given.host !== undefined ? given.host : hostname(env),
    run_id: given.run_id ?? (env.OSML_LOAD_RUN_ID || undefined) ?? crypto.randomUUID(),
  };
}

/**
 * A timeline point's job columns as the document stores them.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pointOfTimeline } from "./mergeable_stats.ts";
 * const p = pointOfTimeline({
 *   t: 1000, users: 2, rps: 0, fps: 0, p50: null, p95: null, p99: null, jobsInFlight: 1,
 *   jobsSucceeded: 3, jobsFailed: 0, jobsPartial: 0, jobsTimedOut: 0, gbProcessed: 0.5,
 *   pixelsProcessed: 10, queueDepth: 4,
 * });
 * assert.equal(p.queue_depth, 4);
 * assert.equal(p.jobs_succeeded, 3);
 * ```
 */
export function pointOfTimeline(p: TimelinePoint): MergeablePoint {
  const point: MergeablePoint = {
    t: p.t,
    users: p.users,
    jobs_in_flight: p.jobsInFlight,
    jobs_succeeded: p.jobsSucceeded,
    jobs_failed: p.jobsFailed,
    jobs_partial: p.jobsPartial,
    jobs_timed_out: p.jobsTimedOut,
    gb_processed: p.gbProcessed,
    pixels_processed: p.pixelsProcessed,
  };
  // `queueDepth` is absent when not sampled yet, null (on newer engines) when it failed.
  const depth = (p as { queueDepth?: number | null }).queueDepth;
  if (depth !== undefined) point.queue_depth = depth;
  if (p.targetRate !== undefined) point.target_rate = p.targetRate;
  return point;
}

/**
 * The request queue a run's backlog is read from, from its configuration
 * (`Account`, `Region`, `Request queue`), or null when it does not say.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { backlogQueueOf } from "./mergeable_stats.ts";
 * const queue = backlogQueueOf([
 *   ["Region", "us-west-2 (AWS_REGION)"], ["Account", "123 (task definition)"],
 *   ["Request queue", "ImageRequestQueue (task definition)"],
 * ]);
 * assert.equal(queue, "123/us-west-2/ImageRequestQueue");
 * ```
 */
export function backlogQueueOf(
  configuration: ReadonlyArray<readonly [string, string]>,
): string | null {
  const value = (label: string) => {
    const found = configuration.find(([l]) => l === label)?.[1];
    return found?.replace(/ \([^()]*\)$/, "");
  };
  const queue = value("Request queue");
  if (queue === undefined) return null;
  return `${value("Account") ?? ""}/${value("Region") ?? ""}/${queue}`;
}

/**
 * The output that writes the mergeable statistics file (see the module doc).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { createMergeableStatsOutput } from "./mergeable_stats.ts";
 * const output = createMergeableStatsOutput({ path: "logs/osml-load-stats.json", intervalMs: 5000 });
 * assert.equal(typeof output.tick, "function");
 * ```
 */
export function createMergeableStatsOutput(options: MergeableStatsOptions): Output {
  const intervalMs = options.intervalMs ?? 30_000;
  const identity = resolveGeneratorIdentity(options.generator);
  const recorder = new HistoryRecorder();
  const rowTexts: string[] = [];
  const record = (row: MergeableHistoryRow) => rowTexts.push(JSON.stringify(row));
  let lastSecond = -Infinity;
  let lastPointSecond = -Infinity;
  let lastWrite = -Infinity;
  let queue: Promise<void> = Promise.resolve();

  // The latest timeline point when its second has no `_jobs_history.csv` row yet (or always,
  // for the final state).
  const pointAt = (ctx: OutputContext, always: boolean): MergeablePoint | null => {
    const timeline = ctx.timeline();
    const latest = timeline[timeline.length - 1];
    if (latest === undefined) return null;
    const second = Math.floor(latest.t / 1000);
    if (second <= lastPointSecond && !always) return null;
    lastPointSecond = Math.max(second, lastPointSecond);
    return pointOfTimeline(latest);
  };

  const rowAt = (ctx: OutputContext, now: number, always = false) =>
    recorder.row(
      historyInputOf(ctx.stats, { t: now, users: ctx.userCount(), point: pointAt(ctx, always) }),
    );

  const document = (
    ctx: OutputContext,
    now: number,
    final: boolean,
    finalRow: MergeableHistoryRow | null,
  ): MergeableStats => ({
    schema: MERGEABLE_STATS_SCHEMA,
    locust_version: LOCUST_VERSION,
    final,
    generator: identity,
    started_at: ctx.startedAt,
    load_started_at: ctx.loadStartedAt?.() ?? null,
    stopped_at: final ? (ctx.stoppedAt() ?? now) : null,
    written_at: now,
    user_count: ctx.userCount(),
    backlog_queue: backlogQueueOf(ctx.configuration),
    configuration: ctx.configuration.map(([label, value]) => [label, value]),
    stats: snapshotStats(ctx.stats),
    jobs: Object.fromEntries(
      Object.entries(ctx.jobs()).filter((pair): pair is [string, number] =>
        typeof pair[1] === "number"
      ),
    ),
    history: [], // the recorded rows are spliced in by `write`
    final_row: finalRow,
  });

  // The document is built when asked for; writes go one after another. Each history row is
  // turned into JSON once, when recorded: a long run's file is not stringified again each time.
  const write = (doc: MergeableStats) => {
    const head = JSON.stringify({ ...doc, history: [] });
    const text = head.replace('"history":[]', () => `"history":[${rowTexts.join(",")}]`);
    const next = queue.then(() => writeTextFileAtomic(options.path, text + "\n"));
    queue = next.catch(() => {});
    return next;
  };

  return {
    name: "mergeable-stats",
    start(ctx) {
      return write(document(ctx, Date.now(), false, null));
    },
    tick(ctx, now) {
      const second = Math.floor(now / 1000);
      if (second > lastSecond) {
        lastSecond = second;
        record(rowAt(ctx, now));
      }
      if (now - lastWrite < intervalMs) return;
      lastWrite = now;
      return write(document(ctx, now, false, null));
    },
    finish(ctx) {
      const stoppedAt = ctx.stoppedAt() ?? Date.now();
      const second = Math.floor(stoppedAt / 1000);
      let finalRow: MergeableHistoryRow | null = null;
      if (second > lastSecond) {
        lastSecond = second;
        record(rowAt(ctx, stoppedAt));
      } else {
        finalRow = rowAt(ctx, stoppedAt, true);
      }
      return write(document(ctx, Math.max(Date.now(), stoppedAt), true, finalRow));
    },
  };
}
