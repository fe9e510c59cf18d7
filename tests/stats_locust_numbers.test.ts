/**
 * What Locust 2.44+ changed, one behaviour a test: int buckets, running float
 * sums, min/max keeping the sample's type, percentiles without `None` times,
 * "reset stats" clearing exceptions, the 24-column history at most one row a
 * second, and the job columns in their own file. Each expected value is what
 * Locust 2.46.3's `locust/stats.py` gives for the same samples.
 */

import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import {
  createLocustCsvOutput,
  JOBS_HISTORY_CSV_HEADER,
  jobsHistoryCsvRow,
  STATS_HISTORY_CSV_HEADER,
  statsCsvRows,
  statsHistoryCsvRows,
} from "../mod/output/locust_csv.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { DeltaRecorder } from "../mod/stats/delta.ts";
import type { Sample } from "../mod/model/sample.ts";
import type { TimelinePoint } from "../mod/model/run_report.ts";
import { context, START, timeline } from "./stats_fixture.ts";

const LOCUST_HISTORY_HEADER =
  "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size";

function statsOf(samples: Omit<Sample, "type" | "name" | "length" | "at">[]): StatsAggregator {
  const stats = new StatsAggregator(START);
  samples.forEach((s, i) =>
    stats.record({ type: "Submit Image", name: "a.tif:m", length: 1, at: START + 1000 * i, ...s })
  );
  return stats;
}

/** The Aggregated row of `_stats.csv` as a header → cell record. */
function totalRow(stats: StatsAggregator): Record<string, string> {
  const header = [
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
    "50%",
    "66%",
    "75%",
    "80%",
    "90%",
    "95%",
    "98%",
    "99%",
    "99.9%",
    "99.99%",
    "100%",
  ];
  const row = statsCsvRows(stats).at(-1) ?? [];
  return Object.fromEntries(header.map((h, i) => [h, row[i] ?? ""]));
}

Deno.test("locust numbers: buckets are ints, so a median of 140 ms is written 140, not 140.0", () => {
  // Buckets int(round(130.5, -1)) = 130, 140, 150; the median bucket 140 lies inside
  // [min 130.5, max 150.7], so it is not clamped and stays an int.
  const row = totalRow(statsOf([
    { responseTimeMs: 130.5 },
    { responseTimeMs: 140.2 },
    { responseTimeMs: 150.7 },
  ]));
  assert.equal(row["Median Response Time"], "140");
  assert.equal(row["50%"], "140");
  // Slow entries too: 12 345.6 ms → int(round(x, -3)) = 12000; 1 s buckets to 100 ms.
  const slow = totalRow(statsOf([
    { responseTimeMs: 980.4 },
    { responseTimeMs: 1249.9 },
    { responseTimeMs: 12345.6 },
  ]));
  assert.equal(slow["Median Response Time"], "1200");
  assert.equal(slow["100%"], "12000");
  // A median clamped to the min or max takes that value, with its type: 147 → bucket 150 >
  // max 147.0, so the median is the float max.
  assert.equal(totalRow(statsOf([{ responseTimeMs: 147 }]))["Median Response Time"], "147.0");
});

Deno.test("locust numbers: the average is Python's running float sum, not the exact sum", () => {
  // Python: 0.1 + 0.2 = 0.30000000000000004, + 0.3 = 0.6000000000000001, / 3.
  // The exactly rounded sum (math.fsum) would give 0.6 / 3 = 0.19999999999999998.
  const row = totalRow(statsOf([
    { responseTimeMs: 0.1 },
    { responseTimeMs: 0.2 },
    { responseTimeMs: 0.3 },
  ]));
  assert.equal(row["Average Response Time"], "0.20000000000000004");
  // Sums of several batches add up as Locust's master adds its workers' sums.
  const stats = new StatsAggregator(START);
  const worker = new DeltaRecorder();
  for (const ms of [1e16, 1, 1]) {
    worker.record({ type: "Job Complete", name: "a", responseTimeMs: ms, length: 0, at: START });
  }
  stats.apply(worker.take()!);
  // (1e16 + 1) + 1 in floats is 1e16: each 1 is lost, as in Python.
  assert.equal(stats.total.totalResponseTime, 1e16);
});

Deno.test("locust numbers: min and max keep the sample's type (int 3868, float 3868.0)", () => {
  const ints = totalRow(statsOf([
    { responseTimeMs: 3868, responseTimeIsInt: true },
    { responseTimeMs: 19115, responseTimeIsInt: true },
    // A float equal to the min does not replace it: Python's min() keeps the first.
    { responseTimeMs: 3868 },
  ]));
  assert.equal(ints["Min Response Time"], "3868");
  assert.equal(ints["Max Response Time"], "19115");
  assert.equal(ints["Average Response Time"], "8950.333333333334");
  const floats = totalRow(statsOf([{ responseTimeMs: 3868 }, { responseTimeMs: 19115 }]));
  assert.equal(floats["Min Response Time"], "3868.0");
  assert.equal(floats["Max Response Time"], "19115.0");
  // The same through worker deltas merged on the main thread.
  const stats = new StatsAggregator(START);
  const a = new DeltaRecorder();
  const b = new DeltaRecorder();
  a.record({ type: "T", name: "n", responseTimeMs: 500, length: 0, at: START });
  b.record({
    type: "T",
    name: "n",
    responseTimeMs: 500,
    responseTimeIsInt: true,
    length: 0,
    at: START,
  });
  b.record({
    type: "T",
    name: "n",
    responseTimeMs: 11647,
    responseTimeIsInt: true,
    length: 0,
    at: START,
  });
  stats.apply(a.take()!);
  stats.apply(b.take()!);
  const merged = totalRow(stats);
  assert.equal(merged["Min Response Time"], "500.0", "the held float min wins the tie");
  assert.equal(merged["Max Response Time"], "11647");
});

Deno.test("locust numbers: requests without a response time do not count in percentiles", () => {
  // Locust 2.46 walks num_requests - num_none_requests: of the two timed requests (10, 20 ms),
  // no more than int(2 * 0.5) = 1 may remain above p50 → 20. Counting the two None requests
  // would give 10.
  const stats = statsOf([
    { responseTimeMs: NaN },
    { responseTimeMs: NaN },
    { responseTimeMs: 10 },
    { responseTimeMs: 20 },
  ]);
  assert.equal(stats.total.percentile(0.5), 20);
  assert.equal(totalRow(stats)["Request Count"], "4");
  assert.equal(totalRow(stats)["Average Response Time"], "15.0");
});

Deno.test("locust numbers: reset clears failures and exceptions, as Locust's Reset stats does", () => {
  const stats = statsOf([{ responseTimeMs: 5, error: "Boom()" }]);
  stats.recordException({
    message: "boom",
    traceback: "Traceback: boom",
    node: "local",
    at: START,
  });
  assert.equal(stats.failures().length, 1);
  assert.equal(stats.exceptions().length, 1);
  stats.reset(START + 5000);
  assert.equal(stats.failures().length, 0);
  assert.equal(stats.exceptions().length, 0, "exceptions are cleared too");
  assert.equal(stats.total.numRequests, 0);
  assert.deepEqual(stats.entries().map((e) => [e.name, e.numRequests]), [["a.tif:m", 0]]);
});

Deno.test("locust numbers: _stats_history.csv has exactly Locust's 24 columns", () => {
  assert.equal(STATS_HISTORY_CSV_HEADER.join(","), LOCUST_HISTORY_HEADER);
  assert.equal(STATS_HISTORY_CSV_HEADER.length, 24);
  const stats = statsOf([{ responseTimeMs: 12 }]);
  for (const fullHistory of [false, true]) {
    for (
      const row of statsHistoryCsvRows(stats, { now: START + 3000, userCount: 1, fullHistory })
    ) {
      assert.equal(row.length, 24);
    }
  }
});

Deno.test("locust numbers: at most one history row a second, however the ticks fall", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_history_" });
  try {
    const stats = statsOf([{ responseTimeMs: 12 }, { responseTimeMs: 14 }]);
    const ctx = context(stats); // stopped at START + 9 s
    const output = createLocustCsvOutput({ prefix: `${dir}/run`, fullHistory: false });
    await output.start?.(ctx);
    // Two ticks in second 8 (a late tick and the next one), one in second 9, finish in 9.
    for (const at of [8050, 8950, 9010]) await output.tick?.(ctx, START + at);
    await output.finish(ctx);
    const rows = parse(await Deno.readTextFile(`${dir}/run_stats_history.csv`)) as string[][];
    assert.deepEqual(rows.slice(1).map((r) => r[0]), [
      String(START / 1000 + 8),
      String(START / 1000 + 9),
    ]);
    for (const row of rows) assert.equal(row.length, 24);
    // The jobs history follows the timeline's latest point, also at most once a second.
    const jobs = parse(await Deno.readTextFile(`${dir}/run_jobs_history.csv`)) as string[][];
    assert.deepEqual(jobs[0], [...JOBS_HISTORY_CSV_HEADER]);
    assert.deepEqual(jobs.slice(1).map((r) => r[0]), [String(START / 1000 + 9)]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("jobs history: an unknown backlog or latency is an empty cell, never 0", () => {
  const point: TimelinePoint = timeline(1)[0]!;
  const unknown = { ...point, queueDepth: null } as unknown as TimelinePoint;
  const row = jobsHistoryCsvRow(unknown, { p50: null, p95: null });
  const cells = Object.fromEntries(JOBS_HISTORY_CSV_HEADER.map((h, i) => [h, row[i]]));
  assert.equal(cells["Queue Backlog"], "");
  assert.equal(cells["Job Latency 50%"], "");
  assert.equal(cells["Job Latency 95%"], "");
  const { queueDepth: _, ...unsampled } = point;
  assert.equal(jobsHistoryCsvRow(unsampled, { p50: null, p95: null })[3], "");
  const known = jobsHistoryCsvRow({ ...point, queueDepth: 0 }, { p50: 0, p95: 41000 });
  assert.deepEqual([known[3], known[9], known[10]], ["0", "0", "41000"], "a measured 0 stays 0");
});
