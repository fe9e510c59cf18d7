/** `--threshold` expressions: parsing, passing, failing, malformed and unknown scopes. */

import assert from "node:assert/strict";
import { evaluateThresholds, parseThreshold } from "../mod/stats/thresholds.ts";
import { UsageError } from "../mod/usage_error.ts";
import { aggregate, JOBS } from "./stats_fixture.ts";

const check = (exprs: string[]) => evaluateThresholds(exprs.map(parseThreshold), aggregate(), JOBS);

Deno.test("thresholds: entry names with colons parse from the end", () => {
  assert.deepEqual(parseThreshold("small.tif:centerpoint:avg<=300"), {
    expression: "small.tif:centerpoint:avg<=300",
    scope: "small.tif:centerpoint",
    metric: "avg",
    comparator: "<=",
    value: 300,
  });
  assert.deepEqual(parseThreshold("fail_ratio < 0.01"), {
    expression: "fail_ratio < 0.01",
    metric: "fail_ratio",
    comparator: "<",
    value: 0.01,
  });
  assert.equal(parseThreshold("Submit Image:p99.9>=1").metric, "p99.9");
});

Deno.test("thresholds: passing expressions over types, entries, Aggregated and job counters", () => {
  const results = check([
    "Submit Image:p95<20000", // Submit Image merged (11 requests): p95 int(10.45)=10 → 16000
    "Job Complete:p99<900000", // 61000
    "Aggregated:p99<=61000",
    "big.tif:flood:avg<=300", // 0.4
    "Aggregated:count==14",
    "rps>=1", // 14 / 8 s
    "jobs_failed<=3",
    "jobs_succeeded>5",
    "gb_processed>=1.5",
  ]);
  for (const r of results) assert.ok(r.passed, r.message);
  assert.equal(results[0]?.actual, 16000);
  assert.equal(results[5]?.actual, 1.75);
  assert.match(results[0]?.message ?? "", /^PASS Submit Image:p95<20000 \(actual 16000\)$/);
});

Deno.test("thresholds: failing expressions say so with the measured value", () => {
  const results = check([
    "fail_ratio<0.01",
    "jobs_failed<=2",
    "Submit Image:p95<500",
    "small.tif:centerpoint:max<1000",
  ]);
  assert.deepEqual(results.map((r) => r.passed), [false, false, false, false]);
  assert.equal(results[0]?.actual, 3 / 14);
  assert.equal(results[1]?.message, "FAIL jobs_failed<=2 (actual 3)");
  // The name matches two entries (Submit Image and Job Complete): merged, max 61000.
  assert.equal(results[3]?.actual, 61000);
});

Deno.test("thresholds: malformed expressions are usage errors that show the right form", () => {
  for (
    const bad of [
      "p95",
      "Submit Image:p95<",
      "Submit Image:p95<fast",
      ":p95<5",
      "Submit Image:speed<5",
      "latency<5",
    ]
  ) {
    assert.throws(() => parseThreshold(bad), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${bad}: ${e}`);
      assert.match(e.message, /--threshold/);
      return true;
    });
  }
});

Deno.test("thresholds: an unknown scope is an error naming the known scopes, never a pass", () => {
  assert.throws(() => check(["Process Image:p95<500"]), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /"Process Image"/);
    assert.match(
      e.message,
      /"Aggregated", "Job Complete", "Submit Image", "big.tif:flood", "small.tif:centerpoint"/,
    );
    return true;
  });
});
