/**
 * Test support for the merge tests: a generator's `osml-load-stats.json`
 * written by the real output from a few samples, and `osml-load` run as a
 * process (to see its exit code and its one-line errors).
 * @module
 */
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { createMergeableStatsOutput } from "../mod/output/mergeable_stats.ts";
import type { OutputContext } from "../mod/output/output.ts";
import type { JobStatistics } from "../mod/model/run_report.ts";
import { MERGEABLE_STATS_FILE } from "../mod/stats/mergeable_stats.ts";

/** What a synthetic generator looks like. */
export interface GeneratorSpec {
  index: number | null;
  runId: string;
  /** False: the generator "died" after its ticks (no finish, `final: false`). */
  final?: boolean;
  /** Response times of its `Submit Image` samples, one a tick (ms). */
  responseTimes?: number[];
  /** Its request queue (default the seeded simulator's). */
  queue?: string;
  /** Backlog readings, one a tick (default 7 each). */
  backlog?: (number | null)[];
  /** First tick, ms since the epoch. */
  base?: number;
}

/** Write `dir/osml-load-stats.json` (and a `job_status.json`) for a synthetic generator. */
export async function writeGenerator(dir: string, spec: GeneratorSpec): Promise<void> {
  const base = spec.base ?? 1_700_000_000_000;
  const times = spec.responseTimes ?? [100, 200, 300];
  const stats = new StatsAggregator(base);
  let users = 0;
  let stoppedAt: number | undefined;
  const jobs: JobStatistics = {
    total_image_sent: 0,
    total_image_in_progress: 0,
    total_image_processed: 0,
    total_image_succeeded: 0,
    total_image_failed: 0,
    total_gb_processed: 0,
    total_pixels_processed: 0,
    total_image_partial: 0,
    total_image_timed_out: 0,
  };
  const timeline: import("../mod/model/run_report.ts").TimelinePoint[] = [];
  const ctx: OutputContext = {
    stats,
    userCount: () => users,
    jobs: () => jobs,
    timeline: () => timeline,
    configuration: [
      ["Region", "us-west-2 (AWS_REGION)"],
      ["Account", "123456789012 (task definition)"],
      ["Request queue", `${spec.queue ?? "ImageRequestQueue"} (task definition)`],
    ],
    startedAt: base - 1000,
    stoppedAt: () => stoppedAt,
    loadStartedAt: () => base,
  };
  const output = createMergeableStatsOutput({
    path: `${dir}/${MERGEABLE_STATS_FILE}`,
    intervalMs: 0,
    generator: { index: spec.index, run_id: spec.runId, host: "test-host" },
  });
  await output.start?.(ctx);
  const status: Record<string, unknown> = {};
  for (let i = 0; i < times.length; i++) {
    const t = base + i * 1000 + 500;
    stats.record({
      type: "Submit Image",
      name: "small.tif:m",
      responseTimeMs: times[i]!,
      length: 1000,
      at: t - 100,
    });
    users = 2;
    jobs.total_image_sent++;
    jobs.total_image_processed++;
    jobs.total_image_succeeded++;
    jobs.total_gb_processed += 1 / 1024;
    const id = `${spec.runId}-${spec.index}-${i}`;
    status[`${id}:s3://b/small.tif`] = { job_id: id, status: "SUCCESS", completed: true };
    const depth = spec.backlog === undefined ? 7 : spec.backlog[i];
    timeline.push({
      t,
      users,
      rps: 0,
      fps: 0,
      p50: null,
      p95: null,
      p99: null,
      jobsInFlight: 0,
      jobsSucceeded: jobs.total_image_succeeded,
      jobsFailed: 0,
      jobsPartial: 0,
      jobsTimedOut: 0,
      gbProcessed: jobs.total_gb_processed,
      pixelsProcessed: 0,
      ...(typeof depth === "number" ? { queueDepth: depth } : {}),
    });
    await output.tick?.(ctx, t);
  }
  if (spec.final ?? true) {
    stoppedAt = base + times.length * 1000 + 200;
    users = 0;
    await output.finish(ctx);
  }
  await Deno.writeTextFile(`${dir}/job_status.json`, JSON.stringify(status, null, 4));
}

/** Run `osml-load ARGS` as a process; its exit code and output. */
export async function osmlLoad(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = new URL("../main.ts", import.meta.url).pathname;
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "-A", main, ...args],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: result.code,
    stdout: new TextDecoder().decode(result.stdout),
    stderr: new TextDecoder().decode(result.stderr),
  };
}
