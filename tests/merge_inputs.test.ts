/**
 * `osml-load merge` on what it may be handed: bad input exits 2 with one
 * line naming the problem and the fix, before anything is written; missing or
 * unfinished generators give a partial result and exit 1; the backlog of a
 * shared queue is not double counted; float sums are the generators' sums;
 * a merged result merges again to the same numbers.
 */
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { mergeCommand } from "../mod/commands/merge.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { snapshotStats } from "../mod/stats/mergeable_stats.ts";
import { aggregatorFromSnapshots } from "../mod/stats/mergeable_replay.ts";
import { MERGEABLE_STATS_FILE } from "../mod/stats/mergeable_stats.ts";
import { osmlLoad, writeGenerator } from "./merge_test_support.ts";
import { withSimulator } from "./engine_test_support.ts";

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "osml-load-merge-inputs-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** The error line of a run that must exit 2 and write nothing. */
async function usageError(args: string[], dir: string, env: Record<string, string> = {}) {
  const result = await osmlLoad([...args, "--log-dir", `${dir}/out`], env);
  assert.equal(result.code, 2, result.stderr);
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line: ${result.stderr}`);
  assert.match(lines[0]!, /^error: /);
  assert.equal(await exists(`${dir}/out`), false, "nothing written");
  return lines[0]!;
}

Deno.test("merge: bad input exits 2 with one line that names the problem and the fix", async () => {
  await withDir(async (dir) => {
    await writeGenerator(`${dir}/gen0`, { index: 0, runId: "r" });
    await writeGenerator(`${dir}/gen1`, { index: 1, runId: "r" });

    let line = await usageError(["merge", `${dir}/nope`], dir);
    assert.match(line, /nope: no such file or folder: pass a run's --log-dir/);

    await Deno.mkdir(`${dir}/empty`);
    line = await usageError(["merge", `${dir}/empty`], dir);
    assert.match(line, /holds no osml-load-stats\.json/);

    await Deno.mkdir(`${dir}/cut`);
    const full = await Deno.readTextFile(`${dir}/gen0/${MERGEABLE_STATS_FILE}`);
    await Deno.writeTextFile(`${dir}/cut/${MERGEABLE_STATS_FILE}`, full.slice(0, full.length / 2));
    line = await usageError(["merge", `${dir}/gen1`, `${dir}/cut`], dir);
    assert.match(line, /cut\/osml-load-stats\.json is not valid JSON .*cut short/);

    const doc = JSON.parse(full);
    await Deno.mkdir(`${dir}/v2`);
    await Deno.writeTextFile(
      `${dir}/v2/${MERGEABLE_STATS_FILE}`,
      JSON.stringify({ ...doc, schema: "osml-load/mergeable-stats@2" }),
    );
    line = await usageError(["merge", `${dir}/v2`], dir);
    assert.match(
      line,
      /format "osml-load\/mergeable-stats@2".*merge it with the osml-load version/,
    );

    await Deno.mkdir(`${dir}/damaged`);
    doc.stats.total.num_requests = "12";
    await Deno.writeTextFile(`${dir}/damaged/${MERGEABLE_STATS_FILE}`, JSON.stringify(doc));
    line = await usageError(["merge", `${dir}/damaged`], dir);
    assert.match(line, /stats\.total\.num_requests is "12", not a number/);

    line = await usageError(["merge", `${dir}/gen0`, `${dir}/gen0`], dir);
    assert.match(line, /generator 0 of run r is in .* and in .*: pass each generator once/);

    // A folder above several generators: each is read; here the first problem found is reported.
    line = await usageError(["merge", dir], dir);
    assert.match(line, /cut\/osml-load-stats\.json is not valid JSON/);

    line = await usageError(["merge", `${dir}/gen0`, "--generators", "two"], dir);
    assert.match(line, /bad --generators "two"/);

    await Deno.writeTextFile(`${dir}/gen1/job_status.json`, "{");
    line = await usageError(["merge", `${dir}/gen0`, `${dir}/gen1`], dir);
    assert.match(line, /gen1\/job_status\.json is not valid JSON/);
  });
});

Deno.test("merge: an S3 source that does not exist exits 2 naming the bucket", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const line = await usageError(["merge", "s3://no-such-bucket-here/run/"], dir, sim.env);
    assert.match(
      line,
      /cannot read s3:\/\/no-such-bucket-here\/run\/ \(ListObjectsV2: NoSuchBucket/,
    );
    const empty = await usageError(
      ["merge", `s3://osml-test-images-${sim.account}/nothing-here/`],
      dir,
      sim.env,
    );
    assert.match(empty, /holds no osml-load-stats\.json \(0 object\(s\)/);
  });
});

Deno.test("merge: the --log-dir of a source is refused (it would be overwritten)", async () => {
  await withDir(async (dir) => {
    await writeGenerator(`${dir}/gen0`, { index: 0, runId: "r" });
    const result = await osmlLoad(["merge", `${dir}/gen0`, "--log-dir", `${dir}/gen0`]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--log-dir .*gen0 is the folder of the source/);
  });
});

Deno.test("merge: a generator that did not finish or is missing makes the result partial (exit 1)", async () => {
  await withDir(async (dir) => {
    await writeGenerator(`${dir}/gen0`, { index: 0, runId: "run-9" });
    await writeGenerator(`${dir}/gen1`, { index: 1, runId: "run-9", final: false });
    await writeGenerator(`${dir}/gen3`, { index: 3, runId: "run-9" });
    const result = await osmlLoad([
      "merge",
      dir,
      "--log-dir",
      `${dir}/merged`,
      "--generators",
      "5",
    ]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /generator 2 of run run-9 is missing/);
    assert.match(result.stderr, /generator 4 of run run-9 is missing/);
    assert.match(result.stderr, /generator 1 of run run-9 \(.*gen1\) did not finish/);
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/merged/job_summary.json`));
    assert.equal(summary.partial, true);
    assert.equal(summary.generators, 3);
    assert.deepEqual(summary.missing_generators, [2, 4]);
    assert.equal(summary.failed_generators.length, 1);
    assert.equal(summary.failed_generators[0].index, 1);
    // What the unfinished generator had is in the result.
    assert.equal(summary.total_image_sent, 9);

    // Without --generators, a gap in a run's indices is reported.
    const gap = await osmlLoad(["merge", `${dir}/gen0`, `${dir}/gen3`, "--log-dir", `${dir}/m2`]);
    assert.equal(gap.code, 1);
    assert.match(gap.stderr, /generator 1 of run run-9 is missing/);
    assert.match(gap.stderr, /generator 2 of run run-9 is missing/);

    const whole = await osmlLoad(["merge", `${dir}/gen0`, "--log-dir", `${dir}/m3`]);
    assert.equal(whole.code, 0, whole.stderr);
    const wholeSummary = JSON.parse(await Deno.readTextFile(`${dir}/m3/job_summary.json`));
    assert.equal(wholeSummary.partial, false);
    assert.equal(wholeSummary.missing_generators, undefined);
  });
});

Deno.test("merge: one queue's backlog is read by every generator, so it is not added; two queues are", async () => {
  await withDir(async (dir) => {
    // Standalone runs (no index): any two of them make a whole result.
    await writeGenerator(`${dir}/a`, { index: null, runId: "a", backlog: [5, 9, 2] });
    await writeGenerator(`${dir}/b`, { index: null, runId: "b", backlog: [6, 3, null] });
    await writeGenerator(`${dir}/c`, {
      index: null,
      runId: "c",
      queue: "OtherQueue",
      backlog: [1, 1, 1],
    });
    const quiet = { stdout: () => {}, stderr: () => {} };
    assert.equal(
      await mergeCommand({ sources: [`${dir}/a`, `${dir}/b`], logDir: `${dir}/ab` }, quiet),
      0,
    );
    const rows = (prefix: string) =>
      Deno.readTextFile(`${prefix}/osml-load_jobs_history.csv`).then((text) =>
        (parse(text, { columns: true }) as Record<string, string>[]).map((r) => r["Queue Backlog"])
      );
    // Largest reading of the shared queue; one failed reading does not hide the other.
    assert.deepEqual(await rows(`${dir}/ab`), ["6", "9", "2"]);
    assert.equal(
      await mergeCommand({ sources: [`${dir}/a`, `${dir}/c`], logDir: `${dir}/ac` }, quiet),
      0,
    );
    assert.deepEqual(await rows(`${dir}/ac`), ["6", "10", "3"]);
    assert.equal(
      await mergeCommand({ sources: [`${dir}/b`, `${dir}/c`], logDir: `${dir}/bc` }, quiet),
      0,
    );
    // Queue b unreadable at the third tick: the sum is unknown (empty), not 1.
    assert.deepEqual(await rows(`${dir}/bc`), ["7", "4", ""]);
  });
});

Deno.test("merge: a float sum is the generators' sums added in generator order (Locust's master)", () => {
  let seed = 7;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const parts = [0, 1, 2].map(() => new StatsAggregator(0));
  const single = new StatsAggregator(0);
  for (let i = 0; i < 3000; i++) {
    const sample = { type: "T", name: "n", responseTimeMs: next() * 1000, length: 0, at: 1000 + i };
    parts[i % 3]!.record(sample);
    single.record(sample);
  }
  const merged = aggregatorFromSnapshots(parts.map(snapshotStats));
  const expected = ((0 + parts[0]!.total.totalResponseTime) + parts[1]!.total.totalResponseTime) +
    parts[2]!.total.totalResponseTime;
  assert.equal(merged.total.totalResponseTime, expected);
  // Against one process, only the last bits of the float sum may differ.
  const relative = Math.abs(merged.total.avgResponseTime - single.total.avgResponseTime) /
    single.total.avgResponseTime;
  assert.ok(relative < 1e-12, String(relative));
  for (const p of [0.5, 0.95, 0.99, 1]) {
    assert.equal(merged.total.percentile(p), single.total.percentile(p));
  }
});

Deno.test("merge: a merged result merges again to the same numbers as merging every generator", async () => {
  await withDir(async (dir) => {
    for (let i = 0; i < 4; i++) {
      await writeGenerator(`${dir}/g${i}`, {
        index: i,
        runId: "r",
        responseTimes: [10 + i, 150 * (i + 1), 4000 + i, 61_000 * i + 3],
        base: 1_700_000_000_000 + i * 1500,
      });
    }
    const quiet = { stdout: () => {}, stderr: () => {} };
    const all = await mergeCommand({
      sources: [0, 1, 2, 3].map((i) => `${dir}/g${i}`),
      logDir: `${dir}/all`,
    }, quiet);
    assert.equal(all, 0);
    assert.equal(
      await mergeCommand({ sources: [`${dir}/g0`, `${dir}/g1`], logDir: `${dir}/m01` }, quiet),
      0,
    );
    // Alone, the second half lacks generators 0 and 1: partial.
    assert.equal(
      await mergeCommand({ sources: [`${dir}/g2`, `${dir}/g3`], logDir: `${dir}/m23` }, quiet),
      1,
    );
    assert.equal(
      await mergeCommand({ sources: [`${dir}/m01`, `${dir}/m23`], logDir: `${dir}/again` }, quiet),
      0,
    );
    for (const file of ["_stats.csv", "_stats_history.csv", "_jobs_history.csv"]) {
      assert.equal(
        await Deno.readTextFile(`${dir}/again/osml-load${file}`),
        await Deno.readTextFile(`${dir}/all/osml-load${file}`),
        file,
      );
    }
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/again/job_summary.json`));
    assert.equal(summary.generators, 4);
    assert.equal(summary.total_image_sent, 16);
    // A merged result and one of its generators cannot be merged together.
    await assert.rejects(
      mergeCommand({ sources: [`${dir}/m01`, `${dir}/g1`], logDir: `${dir}/bad` }, quiet),
      /generator 1 of run r is in .*m01 and in .*g1/,
    );
  });
});
