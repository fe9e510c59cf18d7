/** Python number and string formats that Locust's files and console depend on. */

import assert from "node:assert/strict";
import {
  pythonFixed,
  pythonFloatRepr,
  pythonRoundToPowerOfTen,
  pythonStrRepr,
} from "../mod/stats/python_format.ts";
import {
  bucketOf,
  medianOf,
  percentileOf,
  readablePercentiles,
} from "../mod/stats/response_times.ts";

Deno.test("python format: float repr matches Python's repr", () => {
  const cases: [number, string][] = [
    [245, "245.0"],
    [245.33123779296875, "245.33123779296875"],
    [0, "0.0"],
    [-0, "-0.0"],
    [1e16, "1e+16"],
    [1e15, "1000000000000000.0"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [1.5e-7, "1.5e-07"],
    [123456789012345678, "1.2345678901234568e+17"],
    [1234567890123456.7, "1234567890123456.8"],
    [5e-324, "5e-324"],
    [NaN, "nan"],
    [-Infinity, "-inf"],
  ];
  for (const [x, want] of cases) assert.equal(pythonFloatRepr(x), want, String(x));
});

Deno.test("python format: %.Nf rounds exact ties to even, like Python", () => {
  assert.equal(pythonFixed(0.125, 2), "0.12");
  assert.equal(pythonFixed(0.375, 2), "0.38");
  assert.equal(pythonFixed(2.675, 2), "2.67"); // not a tie: 2.67499999...
  assert.equal(pythonFixed(1.005, 2), "1.00");
  assert.equal(pythonFixed(0.5000005, 6), "0.500000");
  assert.equal(pythonFixed(10 / 6, 6), "1.666667");
  assert.equal(pythonFixed(0, 6), "0.000000");
});

Deno.test("python format: round(x, -k) and Locust's buckets round half to even", () => {
  assert.equal(pythonRoundToPowerOfTen(2.5, 0), 2);
  assert.equal(pythonRoundToPowerOfTen(3.5, 0), 4);
  assert.deepEqual([145, 155, 147, 1450, 3432, 15500, 58760, 99.5, 12.5].map(bucketOf), [
    140,
    160,
    150,
    1400,
    3400,
    16000,
    59000,
    100,
    12,
  ]);
});

Deno.test("python format: str repr picks quotes and escapes like Python", () => {
  assert.equal(pythonStrRepr("a'b"), `"a'b"`);
  assert.equal(pythonStrRepr('a"b\\'), `'a"b\\\\'`);
  assert.equal(pythonStrRepr("x\ty\u2028\x7f\u00e9"), "'x\\ty\\u2028\\x7f\u00e9'");
  assert.equal(pythonStrRepr(`both'"`), `'both\\'"'`);
});

Deno.test("response times: Locust's percentile walk, median and readable labels", () => {
  const h = new Map([[10, 9], [500, 1]]);
  assert.equal(percentileOf(h, 10, 0.95), 500); // int(9.5) = 9: one request may remain above
  assert.equal(percentileOf(h, 10, 0.9), 500); // int(9.0) = 9 as well
  assert.equal(percentileOf(h, 10, 0.8), 10);
  assert.equal(percentileOf(new Map(), 0, 0.5), 0);
  assert.equal(medianOf(4, new Map([[10, 2], [20, 2]])), 10);
  assert.deepEqual(readablePercentiles([0.5, 0.999, 0.9999, 1, 0.58]), [
    "50%",
    "99.9%",
    "99.99%",
    "100%",
    "58.0%",
  ]);
});
