/** `--json FILE`: the documented schema, written atomically at finish, thresholds included. */

import assert from "node:assert/strict";
import {
  createJsonStatsOutput,
  JSON_STATS_SCHEMA,
  type JsonStats,
} from "../mod/output/json_stats.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { evaluateThresholds, parseThreshold } from "../mod/stats/thresholds.ts";
import { aggregate, context, JOBS, START } from "./stats_fixture.ts";

Deno.test("json stats: final statistics follow the documented schema", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_json_" });
  try {
    const path = `${dir}/sub/stats.json`;
    await createJsonStatsOutput({ path }).finish(context(aggregate()));
    const doc = JSON.parse(await Deno.readTextFile(path)) as JsonStats;
    assert.equal(doc.schema, JSON_STATS_SCHEMA);
    assert.equal(doc.started_at, "2023-11-14T22:13:20.000Z");
    assert.equal(doc.stopped_at, "2023-11-14T22:13:29.000Z");
    assert.equal(doc.duration_seconds, 9);
    assert.deepEqual(doc.entries.map((e) => [e.type, e.name, e.num_requests]), [
      ["Submit Image", "big.tif:flood", 1],
      ["Job Complete", "small.tif:centerpoint", 3],
      ["Submit Image", "small.tif:centerpoint", 10],
    ]);
    assert.equal(doc.total.name, "Aggregated");
    assert.equal(doc.total.num_failures, 3);
    assert.equal(doc.total.median_response_time, 140);
    assert.equal(doc.total.total_rps, 1.75);
    assert.equal(doc.total.percentiles?.["95%"], 61000);
    assert.equal(doc.failures[0]?.first_seen, "2023-11-14T22:13:21.500Z");
    assert.deepEqual(doc.exceptions[0]?.nodes, ["local", "worker-2"]);
    assert.deepEqual(doc.jobs, JOBS);
    assert.deepEqual(doc.configuration, { Model: "centerpoint", Users: "3" });
    assert.deepEqual(doc.thresholds, [], "no thresholds: an empty list");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("json stats: each threshold's expression, observed value and verdict", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_json_" });
  try {
    const stats = aggregate();
    const results = evaluateThresholds(
      ["Submit Image:p95<500", "jobs_failed<=3", "big.tif:flood:avg<=300"].map(parseThreshold),
      stats,
      JOBS,
    );
    const path = `${dir}/stats.json`;
    await createJsonStatsOutput({ path }).finish({ ...context(stats), thresholds: () => results });
    const doc = JSON.parse(await Deno.readTextFile(path)) as JsonStats;
    assert.deepEqual(doc.thresholds, [
      { expression: "Submit Image:p95<500", value: 16000, passed: false },
      { expression: "jobs_failed<=3", value: 3, passed: true },
      { expression: "big.tif:flood:avg<=300", value: 0.4, passed: true },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("json stats: what could not be measured is null, never 0 or NaN", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_json_" });
  try {
    // No request yet, and a threshold on a type that did get a request without a time.
    const stats = new StatsAggregator(START);
    stats.record({
      type: "Job Complete",
      name: "a.tif:m",
      responseTimeMs: NaN,
      length: 0,
      at: START,
    });
    const results = evaluateThresholds([parseThreshold("Job Complete:p95<600000")], stats, JOBS);
    const path = `${dir}/stats.json`;
    await createJsonStatsOutput({ path }).finish({ ...context(stats), thresholds: () => results });
    const text = await Deno.readTextFile(path);
    assert.ok(!text.includes("NaN"), text);
    const doc = JSON.parse(text) as JsonStats;
    assert.equal(doc.total.num_requests, 1);
    assert.equal(doc.total.avg_response_time, null);
    assert.equal(doc.total.median_response_time, null);
    assert.equal(doc.total.min_response_time, null);
    assert.equal(doc.total.max_response_time, null);
    assert.equal(doc.total.percentiles, null);
    assert.deepEqual(doc.thresholds, [{
      expression: "Job Complete:p95<600000",
      value: null,
      passed: false,
      reason: 'no "Job Complete" request has a response time, so p95 is unknown',
    }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
