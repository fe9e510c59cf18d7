/**
 * Shared fixture for the statistics and output tests: a fixed sample set whose
 * Locust results are worked out by hand in `stats_locust_csv.test.ts`, and a
 * made-up output context. (A `.test.ts` name so it sits with the tests it
 * serves; it registers no test of its own.)
 *
 * @module
 */

import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { DeltaRecorder } from "../mod/stats/delta.ts";
import type { ExceptionReport, Sample } from "../mod/model/sample.ts";
import type { OutputContext } from "../mod/output/output.ts";
import type { CapacityStep, JobStatistics, TimelinePoint } from "../mod/model/run_report.ts";

/** 2023-11-14T22:13:20Z, a whole second. */
export const START = 1_700_000_000_000;

export const THROTTLED = "ClientError('Throttled, slow down')";
export const JOB_FAILED = "Job FAILED: model error\nsee logs";
export const A_NAME = "small.tif:centerpoint";
export const C_NAME = "big.tif:flood";

function s(
  type: string,
  name: string,
  responseTimeMs: number,
  length: number,
  offsetMs: number,
  error?: string,
): Sample {
  const sample: Sample = { type, name, responseTimeMs, length, at: START + offsetMs };
  if (error !== undefined) sample.error = error;
  return sample;
}

/** The fixed samples, in time order. */
export const SAMPLES: readonly Sample[] = [
  s("Submit Image", A_NAME, 12, 1000, 0),
  s("Submit Image", A_NAME, 12.5, 1000, 500),
  s("Submit Image", A_NAME, 13.5, 1000, 1000),
  s("Submit Image", A_NAME, 47.25, 1000, 1500, THROTTLED),
  s("Submit Image", A_NAME, 99.25, 1000, 2000),
  s("Submit Image", A_NAME, 145, 1000, 2500),
  s("Submit Image", A_NAME, 155, 1000, 3000),
  s("Submit Image", C_NAME, 0.4, 5_000_000, 3500),
  s("Submit Image", A_NAME, 1450, 1000, 4000),
  s("Job Complete", A_NAME, 30000, 0, 5000),
  s("Submit Image", A_NAME, 2250.5, 1000, 6000),
  s("Job Complete", A_NAME, 45000.25, 0, 7000),
  s("Job Complete", A_NAME, 61000, 0, 7500, JOB_FAILED),
  s("Submit Image", A_NAME, 15500, 1000, 8000, THROTTLED),
];

export const TRACEBACK =
  'Traceback (most recent call last):\n  File "user.py", line 1\nValueError: boom, again';

/** Three exception reports with one traceback, from two nodes. */
export const EXCEPTIONS: readonly ExceptionReport[] = [
  { message: "boom, again", traceback: TRACEBACK, node: "local", at: START + 100 },
  { message: "boom, again", traceback: TRACEBACK, node: "worker-2", at: START + 200 },
  { message: "boom, again", traceback: TRACEBACK, node: "local", at: START + 300 },
];

/** The fixture recorded by `workers` DeltaRecorders (round robin), deltas applied in `order`. */
export function aggregate(workers = 1, order?: number[]): StatsAggregator {
  const stats = new StatsAggregator(START);
  const recorders = Array.from({ length: workers }, () => new DeltaRecorder());
  SAMPLES.forEach((sample, i) => recorders[i % workers]?.record(sample));
  EXCEPTIONS.forEach((e, i) => recorders[i % workers]?.recordException(e));
  for (const i of order ?? recorders.map((_, i) => i)) {
    const delta = recorders[i]?.take();
    if (delta) stats.apply(delta, START);
  }
  return stats;
}

export const JOBS: JobStatistics = {
  total_image_sent: 12,
  total_image_in_progress: 2,
  total_image_processed: 10,
  total_image_succeeded: 7,
  total_image_failed: 3,
  total_gb_processed: 1.5,
  total_pixels_processed: 4.2e9,
  total_image_partial: 1,
  total_image_timed_out: 0,
};

/** A made-up timeline of `n` points, one a second from START. */
export function timeline(n = 9): TimelinePoint[] {
  return Array.from({ length: n }, (_, i) => ({
    t: START + (i + 1) * 1000,
    users: Math.min(i + 1, 3),
    rps: 1 + i / 10,
    fps: i % 3 === 0 ? 0.2 : 0,
    p50: 100 + i,
    p95: 400 + i,
    p99: i === 0 ? null : 900 + i,
    jobsInFlight: 2,
    jobsSucceeded: i,
    jobsFailed: Math.floor(i / 3),
    jobsPartial: i > 5 ? 1 : 0,
    jobsTimedOut: 0,
    gbProcessed: i * 0.15,
    pixelsProcessed: i * 4e8,
    queueDepth: 7,
  }));
}

/** An output context over `stats`, stopped at START + 9 s. */
export function context(
  stats: StatsAggregator,
  extra: {
    points?: TimelinePoint[];
    configuration?: [string, string][];
    capacity?: CapacityStep[];
  } = {},
): OutputContext {
  const points = extra.points ?? timeline();
  const ctx: OutputContext = {
    stats,
    userCount: () => 3,
    jobs: () => JOBS,
    timeline: () => points,
    configuration: extra.configuration ?? [["Model", "centerpoint"], ["Users", "3"]],
    startedAt: START,
    stoppedAt: () => START + 9000,
  };
  if (extra.capacity) {
    const steps = extra.capacity;
    return { ...ctx, capacity: () => steps };
  }
  return ctx;
}
