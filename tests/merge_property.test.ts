/**
 * The merge is exact: random samples (seeded) split across generators, each
 * writing its mergeable statistics on the same ticks, merge into the same
 * CSV files, cell for cell, as one aggregator that saw every sample with the
 * CSV output on those ticks.
 *
 * What depends on wall time: nothing in these files, as long as the
 * generators tick at the same instants (here they do). In real runs each
 * generator's history row is taken at its own tick, so a merged history row
 * adds states up to a second apart. Response times here are multiples of
 * 1/16 ms (and ints), so every float sum is exact in any order; with
 * arbitrary floats the merged running sum is the sum of the generators'
 * sums, as Locust's master adds its workers', and the average can differ
 * from a single process's in the last bits.
 */
import assert from "node:assert/strict";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { createLocustCsvOutput, locustCsvPaths } from "../mod/output/locust_csv.ts";
import { buildJsonStats } from "../mod/output/json_stats.ts";
import { createMergeableStatsOutput } from "../mod/output/mergeable_stats.ts";
import type { Output, OutputContext } from "../mod/output/output.ts";
import type { JobStatistics, TimelinePoint } from "../mod/model/run_report.ts";
import { mergeCommand } from "../mod/commands/merge.ts";
import { MERGEABLE_STATS_FILE } from "../mod/stats/mergeable_stats.ts";
import { parseMergeableStats } from "../mod/stats/mergeable_stats_parse.ts";

/** mulberry32: a small seeded generator in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ["Submit Image", "Job Complete", "Process Image"];
const NAMES = ["small.tif:centerpoint", "large.ntf:centerpoint", 'b,quoted".png:m', "x.jpg:m"];
const ERRORS = [
  "ClientError('Throttled')",
  "Job FAILED",
  "ConnectError(<urllib3.connection.HTTPConnection object at 0x7f3a9c1b2d40>)",
];
const TRACEBACKS = ["Traceback A\n  line 1", "Traceback B\n  line 2"];
const CONFIGURATION: [string, string][] = [
  ["Region", "us-west-2 (AWS_REGION)"],
  ["Account", "123456789012 (task definition)"],
  ["Request queue", "ImageRequestQueue (task definition)"],
];

interface Event {
  at: number;
  generator: number;
  apply(stats: StatsAggregator): void;
}

interface Scenario {
  seed: number;
  generators: number;
  seconds: number;
  /** The run stops in the second of its last tick (the CSV keeps that second's tick row). */
  stopInLastTickSecond: boolean;
  /** Reset the statistics at this tick (the web UI's "Reset stats"). */
  resetAtTick?: number;
}

function randomEvents(rng: () => number, s: Scenario, base: number): Event[] {
  const events: Event[] = [];
  const durationMs = s.seconds * 1000;
  const count = 400 + Math.floor(rng() * 600);
  for (let i = 0; i < count; i++) {
    const at = base + rng() * durationMs;
    const type = TYPES[Math.floor(rng() * TYPES.length)]!;
    const name = NAMES[Math.floor(rng() * NAMES.length)]!;
    const kind = rng();
    // None (no response time), Python ints, and floats that are never ints (k + 1/16 steps).
    let responseTimeMs: number;
    let responseTimeIsInt = false;
    if (kind < 0.04) responseTimeMs = NaN;
    else if (kind < 0.3) {
      responseTimeMs = Math.floor(rng() * 20_000);
      responseTimeIsInt = true;
    } else if (kind < 0.33) responseTimeMs = (2 * Math.floor(rng() * 16 * 900_000) + 1) / 16;
    else responseTimeMs = (2 * Math.floor(rng() * 16 * (rng() < 0.5 ? 120 : 12_000)) + 1) / 16;
    const error = rng() < 0.1 ? ERRORS[Math.floor(rng() * ERRORS.length)] : undefined;
    const length = Math.floor(rng() * 5_000_000);
    const generator = Math.floor(rng() * s.generators);
    events.push({
      at,
      generator,
      apply: (stats) =>
        stats.record({
          type,
          name,
          responseTimeMs,
          ...(responseTimeIsInt ? { responseTimeIsInt } : {}),
          length,
          at,
          ...(error !== undefined ? { error } : {}),
        }),
    });
  }
  for (let i = 0; i < 12; i++) {
    const at = base + rng() * durationMs;
    const generator = Math.floor(rng() * s.generators);
    const traceback = TRACEBACKS[Math.floor(rng() * TRACEBACKS.length)]!;
    events.push({
      at,
      generator,
      apply: (stats) =>
        stats.recordException({
          message: `boom ${i}`,
          traceback,
          node: `generator-${generator}`,
          at,
        }),
    });
  }
  return events.sort((a, b) => a.at - b.at);
}

const ZERO_JOBS: JobStatistics = {
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

/** A run's state as the engine keeps it, and the context its outputs read. */
class FakeRun {
  stats: StatsAggregator;
  users = 0;
  jobs: JobStatistics = { ...ZERO_JOBS };
  timeline: TimelinePoint[] = [];
  stoppedAt: number | undefined;
  readonly ctx: OutputContext;

  constructor(loadStart: number) {
    this.stats = new StatsAggregator(loadStart);
    // deno-lint-ignore no-this-alias
    const run = this;
    this.ctx = {
      get stats() {
        return run.stats;
      },
      userCount: () => run.users,
      jobs: () => run.jobs,
      timeline: () => run.timeline,
      configuration: CONFIGURATION,
      startedAt: loadStart - 4_000,
      stoppedAt: () => run.stoppedAt,
      loadStartedAt: () => loadStart,
    };
  }
}

function jobsPoint(
  t: number,
  users: number,
  jobs: JobStatistics,
  depth: number | null | undefined,
): TimelinePoint {
  return {
    t,
    users,
    rps: 0,
    fps: 0,
    p50: null,
    p95: null,
    p99: null,
    jobsInFlight: jobs.total_image_in_progress,
    jobsSucceeded: jobs.total_image_succeeded,
    jobsFailed: jobs.total_image_failed - jobs.total_image_partial,
    jobsPartial: jobs.total_image_partial,
    jobsTimedOut: jobs.total_image_timed_out,
    gbProcessed: jobs.total_gb_processed,
    pixelsProcessed: jobs.total_pixels_processed,
    ...(typeof depth === "number" ? { queueDepth: depth } : {}),
  };
}

function addJobs(a: JobStatistics, b: JobStatistics): JobStatistics {
  const out = { ...a };
  for (const key of Object.keys(out) as (keyof JobStatistics)[]) out[key] += b[key];
  return out;
}

async function simulate(s: Scenario, dir: string): Promise<{ reference: FakeRun }> {
  const rng = prng(s.seed);
  const base = 1_700_000_000_000 + s.seed * 1000;
  const events = randomEvents(rng, s, base);
  const reference = new FakeRun(base);
  const generators = Array.from({ length: s.generators }, () => new FakeRun(base));
  const referenceCsv = createLocustCsvOutput({
    prefix: `${dir}/reference/run`,
    fullHistory: false,
  });
  const outputs: Output[] = generators.map((_, i) =>
    createMergeableStatsOutput({
      path: `${dir}/gen${i}/logs/${MERGEABLE_STATS_FILE}`,
      intervalMs: 7_000,
      generator: { index: i, run_id: `property-${s.seed}`, host: `host-${i}` },
    })
  );
  await referenceCsv.start?.(reference.ctx);
  for (let i = 0; i < generators.length; i++) await outputs[i]!.start?.(generators[i]!.ctx);

  let next = 0;
  const applyUntil = (t: number) => {
    while (next < events.length && events[next]!.at < t) {
      const event = events[next++]!;
      event.apply(reference.stats);
      event.apply(generators[event.generator]!.stats);
    }
  };
  // Jobs and the (shared) request queue's backlog move on each tick; one unreadable reading.
  const step = (t: number, tick: number) => {
    const depth = tick < 3 ? undefined : tick === 5 ? null : Math.floor(rng() * 50);
    let total = { ...ZERO_JOBS };
    let users = 0;
    for (const g of generators) {
      g.users = Math.floor(rng() * 6);
      const done = Math.floor(rng() * 3);
      const failed = rng() < 0.2 ? 1 : 0;
      const partial = rng() < 0.1 ? 1 : 0;
      g.jobs = addJobs(g.jobs, {
        ...ZERO_JOBS,
        total_image_sent: done + 1,
        total_image_processed: done + failed + partial,
        total_image_succeeded: done,
        total_image_failed: failed + partial,
        total_image_partial: partial,
        total_gb_processed: (2 * Math.floor(rng() * 100) + 1) / 64,
        total_pixels_processed: Math.floor(rng() * 1e9),
      });
      g.jobs.total_image_in_progress = Math.floor(rng() * 4);
      g.timeline.push(jobsPoint(t, g.users, g.jobs, depth));
      total = addJobs(total, g.jobs);
      users += g.users;
    }
    reference.users = users;
    reference.jobs = total;
    reference.timeline.push(jobsPoint(t, users, total, depth));
  };

  let lastTick = base;
  for (let tick = 0; tick < s.seconds; tick++) {
    const t = base + tick * 1000 + 300 + Math.floor(rng() * 400);
    lastTick = t;
    applyUntil(t);
    if (tick === s.resetAtTick) {
      reference.stats.reset(t);
      for (const g of generators) g.stats.reset(t);
    }
    step(t, tick);
    await referenceCsv.tick?.(reference.ctx, t);
    for (let i = 0; i < generators.length; i++) await outputs[i]!.tick?.(generators[i]!.ctx, t);
  }
  const stop = s.stopInLastTickSecond ? lastTick + 100 : base + s.seconds * 1000 + 200;
  applyUntil(Infinity);
  step(stop, s.seconds);
  reference.stoppedAt = stop;
  for (const g of generators) g.stoppedAt = stop;
  await referenceCsv.finish(reference.ctx);
  for (let i = 0; i < generators.length; i++) await outputs[i]!.finish(generators[i]!.ctx);
  return { reference };
}

async function assertSameFile(expectedPath: string, actualPath: string): Promise<void> {
  const expected = (await Deno.readTextFile(expectedPath)).split("\r\n");
  const actual = (await Deno.readTextFile(actualPath)).split("\r\n");
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    assert.equal(actual[i], expected[i], `${actualPath} line ${i + 1}`);
  }
}

const SCENARIOS: Scenario[] = [
  { seed: 1, generators: 3, seconds: 40, stopInLastTickSecond: false },
  { seed: 2, generators: 3, seconds: 30, stopInLastTickSecond: true },
  { seed: 3, generators: 3, seconds: 80, stopInLastTickSecond: false, resetAtTick: 20 },
  { seed: 4, generators: 1, seconds: 25, stopInLastTickSecond: true },
  { seed: 5, generators: 5, seconds: 20, stopInLastTickSecond: false },
];

for (const scenario of SCENARIOS) {
  Deno.test(
    `merge property: ${scenario.generators} generator(s), seed ${scenario.seed}: the merged CSV ` +
      "files equal those of one aggregator that saw every sample, cell for cell",
    async () => {
      const dir = await Deno.makeTempDir({ prefix: "osml-load-merge-property-" });
      try {
        const { reference } = await simulate(scenario, dir);
        const sources = Array.from(
          { length: scenario.generators },
          (_, i) => `${dir}/gen${i}/logs`,
        );
        const err: string[] = [];
        const code = await mergeCommand({
          sources,
          output: `${dir}/merged/run`,
          logDir: `${dir}/merged`,
          json: `${dir}/merged/stats.json`,
        }, { stdout: () => {}, stderr: (line) => err.push(line) });
        assert.equal(code, 0, err.join("\n"));

        const expected = locustCsvPaths(`${dir}/reference/run`);
        const actual = locustCsvPaths(`${dir}/merged/run`);
        for (const key of ["stats", "history", "failures", "exceptions", "jobsHistory"] as const) {
          await assertSameFile(expected[key], actual[key]);
        }
        // The history really has rows (and the test's generators really split the samples).
        const history = await Deno.readTextFile(expected.history);
        assert.ok(history.split("\r\n").length > scenario.seconds, "a row a second");
        for (let i = 0; i < scenario.generators; i++) {
          const doc = parseMergeableStats(
            await Deno.readTextFile(`${sources[i]}/${MERGEABLE_STATS_FILE}`),
            "generator",
          );
          assert.equal(doc.final, true);
          if (scenario.generators > 1) {
            assert.ok(doc.stats.total.num_requests < reference.stats.numRequests);
          }
        }

        // The JSON statistics agree too (entries, total, failures, exceptions).
        const merged = JSON.parse(await Deno.readTextFile(`${dir}/merged/stats.json`));
        const single = JSON.parse(JSON.stringify(buildJsonStats(reference.ctx)));
        for (const key of ["entries", "total", "failures", "exceptions", "jobs"]) {
          assert.deepEqual(merged[key], single[key], key);
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
}
