/**
 * The Locust CSV files for a fixed sample set, every cell worked out by hand
 * from Locust's algorithm (see the comments), read back with csv-parse.
 */

import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import {
  createLocustCsvOutput,
  exceptionsCsvRows,
  failuresCsvRows,
  statsCsvRows,
  statsHistoryCsvRows,
} from "../mod/output/locust_csv.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { DeltaRecorder } from "../mod/stats/delta.ts";
import {
  A_NAME,
  aggregate,
  context,
  JOB_FAILED,
  START,
  THROTTLED,
  TRACEBACK,
} from "./stats_fixture.ts";

const STATS_HEADER =
  "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%";
const HISTORY_HEADER =
  "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size";
const JOBS_HEADER =
  "Timestamp,User Count,Jobs In Flight,Queue Backlog,Jobs Succeeded,Jobs Failed,Jobs Partial,Jobs Timed Out,Jobs Completed,Job Latency 50%,Job Latency 95%";
const FAILURES_HEADER = "Method,Name,Error,Occurrences,First Seen,Last Seen";
const EXCEPTIONS_HEADER = "Count,Message,Traceback,Nodes";

const times = (n: number, v: string) => Array.from({ length: n }, () => v);

// The last request is at START + 8 s, so every total rate is count / 8.
//
// big.tif:flood (Submit Image): one request of 0.4 ms → bucket round(0.4) = 0; the median
// bucket 0 is below min 0.4, so it is clamped to 0.4 (a float). 5 000 000 bytes.
const ROW_C = [
  "Submit Image",
  "big.tif:flood",
  "1",
  "0",
  "0.4",
  "0.4",
  "0.4",
  "0.4",
  "5000000.0",
  "0.125",
  "0.0",
  ...times(11, "0"),
];
// small.tif:centerpoint (Job Complete): 30000, 45000.25, 61000 (the last failed) → buckets
// 30000, 45000, 61000 (int(round(x, -3))). Median: pos (3-1)/2 = 1 → second bucket 45000 (an
// int since Locust 2.44). Min and max keep the samples' type (floats here).
// Avg 136000.25 / 3 = 45333.416666666664. Percentiles: p50 int(1.5)=1 → 45000; p66 int(1.98)=1
// → 45000; p75 int(2.25)=2 → 61000 and so on up; p100 → 61000.
const ROW_B = [
  "Job Complete",
  "small.tif:centerpoint",
  "3",
  "1",
  "45000",
  "45333.416666666664",
  "30000.0",
  "61000.0",
  "0.0",
  "0.375",
  "0.125",
  "45000",
  "45000",
  ...times(9, "61000"),
];
// small.tif:centerpoint (Submit Image): 12, 12.5, 13.5, 47.25, 99.25, 145, 155, 1450, 2250.5,
// 15500 → buckets 12, 12 (half-even), 14 (half-even), 47, 99, 140 (14.5 → 14), 160, 1400
// (14.5 → 14), 2300, 16000 (15.5 → 16). Median: pos 4.5 → 12,12,14,47 used → 99 (an int).
// Sum 19685 → avg 1968.5. Percentiles walking down from 16000: p50 keeps ≤ 5 → 140; p66 ≤ 6 →
// 160; p75 ≤ 7 → 1400; p80 ≤ 8 → 2300; p90 and up ≤ 9 → 16000.
const ROW_A = [
  "Submit Image",
  "small.tif:centerpoint",
  "10",
  "2",
  "99",
  "1968.5",
  "12.0",
  "15500.0",
  "1000.0",
  "1.25",
  "0.25",
  "140",
  "160",
  "1400",
  "2300",
  ...times(7, "16000"),
];
// Aggregated: 14 requests, 3 failures. Median pos 6.5 → 0,12,12,14,47,99 used → 140 (an int).
// Avg 155685.65 / 14 = 11120.403571428571; content 5 010 000 / 14 = 357857.14285714284.
// Percentiles over 14: p50 ≤ 7 → 160; p66 int(9.24)=9 → 2300; p75 int(10.5)=10 → 16000;
// p80 int(11.2)=11 → 30000; p90 int(12.6)=12 → 45000; p95 int(13.3)=13 → 61000 and up.
const AGGREGATED_TAIL = [
  "14",
  "3",
  "140",
  "11120.403571428571",
  "0.4",
  "61000.0",
  "357857.14285714284",
];
const AGGREGATED_PERCENTILES = ["160", "2300", "16000", "30000", "45000", ...times(6, "61000")];
const ROW_AGG = [
  "",
  "Aggregated",
  "14",
  "3",
  "140",
  "11120.403571428571",
  "0.4",
  "61000.0",
  "357857.14285714284",
  "1.75",
  "0.375",
  ...AGGREGATED_PERCENTILES,
];

// Current rates: slots from max(int(last) - 12, int(start)) = START s to int(last) - 2 (exclusive)
// = seconds 0..5: 10 requests and 1 failure in 6 slots → 1.666667 and 0.166667.
function historyRow(second: number): string[] {
  return [
    String(START / 1000 + second),
    "3",
    "",
    "Aggregated",
    "1.666667",
    "0.166667",
    ...AGGREGATED_PERCENTILES,
    ...AGGREGATED_TAIL,
  ];
}

// Failure rows are ordered by SHA-256 of "method.name.repr(error)":
// Submit Image → 1f3c34b0…, Job Complete → a07c9fb2….
const FAILURE_ROWS = [
  [
    "Submit Image",
    "small.tif:centerpoint",
    THROTTLED,
    "2",
    "2023-11-14T22:13:21Z",
    "2023-11-14T22:13:28Z",
  ],
  [
    "Job Complete",
    "small.tif:centerpoint",
    JOB_FAILED,
    "1",
    "2023-11-14T22:13:27Z",
    "2023-11-14T22:13:27Z",
  ],
];
const EXCEPTION_ROWS = [["3", "boom, again", TRACEBACK, "local, worker-2"]];

function readCsv(text: string): string[][] {
  return parse(text, { relax_column_count: false }) as string[][];
}

/** Every record ends with CRLF; LF appears only inside quoted fields. */
function assertCrlf(text: string): void {
  assert.ok(text.endsWith("\r\n"), "file ends with CRLF");
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === "\n" && !quoted) assert.equal(text[i - 1], "\r", `bare LF at offset ${i}`);
  }
}

Deno.test("locust csv: the four files match Locust cell for cell, with CRLF and exact headers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_csv_" });
  try {
    const stats = aggregate();
    const ctx = context(stats);
    // ".json" is removed from the prefix, and missing folders are created.
    const output = createLocustCsvOutput({ prefix: `${dir}/nested/run.json`, fullHistory: false });
    await output.start?.(ctx);
    await output.tick?.(ctx, START + 8500);
    await output.finish(ctx);

    const statsText = await Deno.readTextFile(`${dir}/nested/run_stats.csv`);
    assert.ok(statsText.startsWith(STATS_HEADER + "\r\n"), "stats header byte for byte");
    assertCrlf(statsText);
    assert.deepEqual(readCsv(statsText), [STATS_HEADER.split(","), ROW_C, ROW_B, ROW_A, ROW_AGG]);

    const historyText = await Deno.readTextFile(`${dir}/nested/run_stats_history.csv`);
    assert.ok(historyText.startsWith(HISTORY_HEADER + "\r\n"), "history header byte for byte");
    assertCrlf(historyText);
    assert.deepEqual(readCsv(historyText), [
      HISTORY_HEADER.split(","),
      historyRow(8),
      historyRow(9),
    ]);

    const failuresText = await Deno.readTextFile(`${dir}/nested/run_failures.csv`);
    assert.ok(failuresText.startsWith(FAILURES_HEADER + "\r\n"));
    assertCrlf(failuresText);
    // Python's csv quotes the comma field and the multi-line field, and doubles no quotes here.
    assert.ok(failuresText.includes(`"ClientError('Throttled, slow down')"`));
    assert.ok(failuresText.includes(`"Job FAILED: model error\nsee logs"`));
    assert.deepEqual(readCsv(failuresText), [FAILURES_HEADER.split(","), ...FAILURE_ROWS]);

    const exceptionsText = await Deno.readTextFile(`${dir}/nested/run_exceptions.csv`);
    assert.ok(exceptionsText.startsWith(EXCEPTIONS_HEADER + "\r\n"));
    assertCrlf(exceptionsText);
    assert.deepEqual(readCsv(exceptionsText), [EXCEPTIONS_HEADER.split(","), ...EXCEPTION_ROWS]);

    // The job columns have their own file: one row for the latest timeline point (START + 9 s:
    // 3 users, 2 in flight, backlog 7, 8 succeeded, 2 failed, 1 partial), the Job Complete
    // latency over 3 jobs (buckets 30000, 45000, 61000): p50 int(1.5)=1 left → 45000, p95 → 61000.
    const jobsText = await Deno.readTextFile(`${dir}/nested/run_jobs_history.csv`);
    assert.ok(jobsText.startsWith(JOBS_HEADER + "\r\n"), "jobs history header byte for byte");
    assertCrlf(jobsText);
    assert.deepEqual(readCsv(jobsText), [
      JOBS_HEADER.split(","),
      [String(START / 1000 + 9), "3", "2", "7", "8", "2", "1", "0", "11", "45000", "61000"],
    ]);

    // Rewrites are atomic: no temporary files are left behind.
    const names = [];
    for await (const e of Deno.readDir(`${dir}/nested`)) names.push(e.name);
    assert.deepEqual(names.sort(), [
      "run_exceptions.csv",
      "run_failures.csv",
      "run_jobs_history.csv",
      "run_stats.csv",
      "run_stats_history.csv",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("locust csv: full history writes a row per entry (current-window values) before Aggregated", () => {
  const stats = aggregate();
  const rows = statsHistoryCsvRows(stats, {
    now: START + 9000,
    userCount: 3,
    fullHistory: true,
  });
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((r) => [r[2], r[3], r[4], r[5]]), [
    // current rates over seconds 0..5: C 1 request (3.5 s); B 1 (5 s); A 8 requests, 1 failure.
    ["Submit Image", "big.tif:flood", "0.166667", "0.000000"],
    ["Job Complete", "small.tif:centerpoint", "0.166667", "0.000000"],
    ["Submit Image", "small.tif:centerpoint", "1.333333", "0.166667"],
    ["", "Aggregated", "1.666667", "0.166667"],
  ]);
  // The window's base copy is the empty histogram taken when each entry appeared, so the
  // current percentiles equal the cumulative ones here.
  assert.deepEqual(rows[2]?.slice(6, 17), ROW_A.slice(11));
  assert.deepEqual(rows[3]?.slice(6, 17), AGGREGATED_PERCENTILES);
});

Deno.test("locust csv: no requests gives N/A percentiles and zeros", () => {
  const stats = new StatsAggregator(START);
  assert.deepEqual(statsCsvRows(stats), [[
    "",
    "Aggregated",
    "0",
    "0",
    "0",
    "0.0",
    "0",
    "0",
    "0",
    "0.0",
    "0.0",
    ...times(11, "N/A"),
  ]]);
  assert.deepEqual(statsHistoryCsvRows(stats, { now: START, userCount: 0, fullHistory: false }), [[
    String(START / 1000),
    "0",
    "",
    "Aggregated",
    "0.000000",
    "0.000000",
    ...times(11, "N/A"),
    "0",
    "0",
    "0",
    "0.0",
    "0",
    "0",
    "0",
  ]]);
  assert.deepEqual(failuresCsvRows(stats.sortedFailures()), []);
  assert.deepEqual(exceptionsCsvRows(stats.exceptions()), []);
});

Deno.test("stats merge: the same samples split over 3 DeltaRecorders give identical output", () => {
  // Counts, buckets, min/max and failures merge exactly. The average is a running float sum
  // per batch, added up as Locust's master adds its workers' sums; with these samples every
  // partial sum is exact, so it comes out the same too.
  const one = aggregate(1);
  for (const order of [[0, 1, 2], [2, 1, 0], [1, 0, 2]]) {
    const three = aggregate(3, order);
    assert.deepEqual(statsCsvRows(three), statsCsvRows(one));
    assert.deepEqual(
      failuresCsvRows(three.sortedFailures()),
      failuresCsvRows(one.sortedFailures()),
    );
    assert.deepEqual(exceptionsCsvRows(three.exceptions()), exceptionsCsvRows(one.exceptions()));
    const history = (s: StatsAggregator) =>
      statsHistoryCsvRows(s, { now: START + 9000, userCount: 3, fullHistory: false });
    assert.deepEqual(history(three), history(one));
    assert.equal(three.total.totalResponseTime, one.total.totalResponseTime);
  }
});

Deno.test("stats merge: failed samples count as requests and as failures, grouped by error", () => {
  const stats = aggregate();
  assert.equal(stats.numRequests, 14);
  assert.equal(stats.numFailures, 3);
  assert.equal(stats.failRatio, 3 / 14);
  assert.deepEqual(stats.failures().map((f) => [f.method, f.occurrences]), [
    ["Submit Image", 2],
    ["Job Complete", 1],
  ]);
});

Deno.test("locust csv: an idle tick appends the history rows and rewrites nothing unchanged", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_csv_idle_" });
  try {
    const stats = aggregate();
    const ctx = context(stats);
    const output = createLocustCsvOutput({ prefix: `${dir}/run`, fullHistory: false });
    const inode = async (name: string) => (await Deno.stat(`${dir}/${name}`)).ino;
    await output.start?.(ctx);
    await output.tick?.(ctx, START + 8500);
    const before = await Promise.all(
      ["run_stats.csv", "run_failures.csv", "run_exceptions.csv"].map(inode),
    );
    await output.tick?.(ctx, START + 9500); // nothing happened in between
    assert.deepEqual(
      await Promise.all(["run_stats.csv", "run_failures.csv", "run_exceptions.csv"].map(inode)),
      before,
      "the same files: not replaced",
    );
    const recorder = new DeltaRecorder();
    recorder.record({
      type: "Submit Image",
      name: A_NAME,
      responseTimeMs: 70,
      length: 1000,
      at: START + 9800,
    });
    stats.apply(recorder.take()!, START + 9800);
    await output.tick?.(ctx, START + 10_500);
    assert.notEqual(await inode("run_stats.csv"), before[0], "a new sample rewrites the stats");
    assert.equal(await inode("run_failures.csv"), before[1], "the failures did not change");
    const history = readCsv(await Deno.readTextFile(`${dir}/run_stats_history.csv`));
    assert.deepEqual(history.slice(1).map((row) => row[0]), [
      "1700000008",
      "1700000009",
      "1700000010",
    ]);
    assert.equal(
      Number(history[3]![17]),
      Number(history[2]![17]) + 1,
      "the last row counts the new sample",
    );
    await output.finish(ctx);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("locust csv: a --csv folder removed during the run fails the output, naming the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_csv_gone_" });
  try {
    const ctx = context(aggregate());
    const output = createLocustCsvOutput({ prefix: `${dir}/out/run`, fullHistory: false });
    await output.start?.(ctx);
    await output.tick?.(ctx, START + 8500);
    await Deno.remove(`${dir}/out`, { recursive: true });
    await assert.rejects(
      Promise.resolve(output.tick?.(ctx, START + 9500)),
      /run_stats_history\.csv was removed during the run/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
