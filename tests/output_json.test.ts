/** `--json FILE`: the documented schema, written atomically at finish. */

import assert from "node:assert/strict";
import {
  createJsonStatsOutput,
  JSON_STATS_SCHEMA,
  type JsonStats,
} from "../mod/output/json_stats.ts";
import { aggregate, context, JOBS } from "./stats_fixture.ts";

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
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
