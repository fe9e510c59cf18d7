/**
 * Benchmark: 10 million samples through DeltaRecorder + StatsAggregator, as
 * the engine runs them: samples spread over simulated run time at `rate` per
 * second, a delta taken and merged every 500 ms of it (as a worker posts
 * them), 20 entries, 5 % failures, response times over every bucket range.
 * Prints samples/s and RSS growth (target: under 20 MB).
 *
 * Run: `deno run --allow-sys --allow-env --v8-flags=--expose-gc scripts/bench_stats.ts [samples] [rate]`
 *
 * @module
 */

import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { DeltaRecorder } from "../mod/stats/delta.ts";
import type { Sample } from "../mod/model/sample.ts";

const total = Number(Deno.args[0] ?? 10_000_000);
/** Samples per second of simulated run time (10 M samples at 5 000/s ≈ a 33-minute run). */
const rate = Number(Deno.args[1] ?? 5_000);
/** A worker posts a delta every 500 ms of run time. */
const batchMs = 500;
const gc = (globalThis as { gc?: () => void }).gc;

const names = Array.from({ length: 10 }, (_, i) => `image-${i}.tif:centerpoint`);
const types = ["Submit Image", "Job Complete"];
const start = 1_700_000_000_000;
const stats = new StatsAggregator(start);
const recorder = new DeltaRecorder();

// Deterministic pseudo-random response times (xorshift), 0.1 ms .. ~120 s.
let seed = 0x9e3779b9;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}

let lastTake = start;

function run(from: number, to: number): void {
  const sample: Sample = { type: "", name: "", responseTimeMs: 0, length: 0, at: 0 };
  for (let i = from; i < to; i++) {
    sample.type = types[i & 1] as string;
    sample.name = names[(i >> 1) % 10] as string;
    sample.responseTimeMs = Math.exp(random() * 14) * 0.1;
    sample.length = 1_048_576;
    const at = start + Math.floor((i * 1000) / rate);
    if (at - lastTake >= batchMs) {
      const delta = recorder.take();
      if (delta) stats.apply(delta, at);
      lastTake = at;
    }
    sample.at = at;
    if (i % 20 === 0) sample.error = "ClientError('Throttling')";
    else delete sample.error;
    recorder.record(sample);
  }
  const delta = recorder.take();
  if (delta) stats.apply(delta);
}

// Warm up (JIT, maps, entries), then measure from a settled heap.
run(0, 1_000_000);
gc?.();
const rssBefore = Deno.memoryUsage().rss;
const t0 = performance.now();
run(1_000_000, 1_000_000 + total);
const seconds = (performance.now() - t0) / 1000;
gc?.();
const rssAfter = Deno.memoryUsage().rss;
if (Deno.env.get("BENCH_DEBUG")) console.log(Deno.memoryUsage());

console.log(`samples:        ${total.toLocaleString("en-US")}`);
console.log(`time:           ${seconds.toFixed(2)} s`);
console.log(`samples/s:      ${Math.round(total / seconds).toLocaleString("en-US")}`);
console.log(`RSS before:     ${(rssBefore / 2 ** 20).toFixed(1)} MiB`);
console.log(`RSS after:      ${(rssAfter / 2 ** 20).toFixed(1)} MiB`);
console.log(`heap used:      ${(Deno.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB`);
console.log(
  `RSS growth:     ${((rssAfter - rssBefore) / 2 ** 20).toFixed(1)} MiB (target < 20 MB)${
    gc ? "" : " (run with --v8-flags=--expose-gc for a settled heap)"
  }`,
);
console.log(
  `entries:        ${stats.entries().length}, requests ${
    stats.numRequests.toLocaleString("en-US")
  }, failures ${stats.numFailures.toLocaleString("en-US")}, p95 ${stats.total.percentile(0.95)} ms`,
);
