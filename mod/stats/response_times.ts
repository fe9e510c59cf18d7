/**
 * Locust's response-time histogram: the bucket rounding, the percentile walk,
 * the median and the diff used for "current" (last ~10 s) percentiles. Mirrors
 * `locust/stats.py` (`StatsEntry._log_response_time`,
 * `calculate_response_time_percentile`, `median_from_dict`,
 * `diff_response_time_dicts`, `PERCENTILES_TO_REPORT`,
 * `get_readable_percentiles`).
 *
 * @example
 * ```ts
 * import { bucketOf, percentileOf } from "./response_times.ts";
 * const buckets = new Map([[bucketOf(12.4), 1], [bucketOf(147), 1]]);
 * percentileOf(buckets, 2, 0.5); // 12
 * ```
 * @module
 */

import { pythonFloatRepr, pythonRoundToPowerOfTen } from "./python_format.ts";

/** A response-time histogram: bucket (ms) → number of requests. */
export type ResponseTimeHistogram = Map<number, number>;

/** Locust's `PERCENTILES_TO_REPORT`: the percentiles of the CSV and console tables. */
export const PERCENTILES_TO_REPORT: readonly number[] = [
  0.5,
  0.66,
  0.75,
  0.8,
  0.9,
  0.95,
  0.98,
  0.99,
  0.999,
  0.9999,
  1.0,
];

/**
 * Locust's bucket for a response time: below 100 ms rounded to an integer,
 * below 1 000 to 10 ms, below 10 000 to 100 ms, otherwise to 1 000 ms, with
 * Python's round-half-even.
 *
 * @example
 * ```ts
 * import { bucketOf } from "./response_times.ts";
 * bucketOf(147); // 150
 * bucketOf(3432); // 3400
 * bucketOf(58760); // 59000
 * ```
 */
export function bucketOf(responseTimeMs: number): number {
  if (responseTimeMs < 100) return pythonRoundToPowerOfTen(responseTimeMs, 0);
  if (responseTimeMs < 1000) return pythonRoundToPowerOfTen(responseTimeMs, 1);
  if (responseTimeMs < 10000) return pythonRoundToPowerOfTen(responseTimeMs, 2);
  return pythonRoundToPowerOfTen(responseTimeMs, 3);
}

/**
 * Whether Locust holds this bucket as a Python float (`round(x, -k)` of a
 * float) rather than an int (`round(x)`): it matters for how a median that is
 * not clamped is written. Keys of 100 and above are floats; the rare key 100
 * that first came from a time in [99.5, 100) would be an int in Locust.
 *
 * @example
 * ```ts
 * import { bucketIsFloat } from "./response_times.ts";
 * bucketIsFloat(150); // true
 * ```
 */
export function bucketIsFloat(bucket: number): boolean {
  return bucket >= 100;
}

/**
 * Locust's `calculate_response_time_percentile`: walk the buckets from the
 * largest down; return the first bucket at which no more than
 * `int(numRequests * percent)` requests remain; 0 when there are none.
 *
 * @example
 * ```ts
 * import { percentileOf } from "./response_times.ts";
 * percentileOf(new Map([[10, 9], [500, 1]]), 10, 0.95); // 500
 * ```
 */
export function percentileOf(
  histogram: ReadonlyMap<number, number>,
  numRequests: number,
  percent: number,
  sortedDescending?: readonly number[],
): number {
  const numOfRequest = Math.trunc(numRequests * percent);
  let processed = 0;
  const keys = sortedDescending ?? [...histogram.keys()].sort((a, b) => b - a);
  for (const key of keys) {
    processed += histogram.get(key) ?? 0;
    if (numRequests - processed <= numOfRequest) return key;
  }
  return 0;
}

/**
 * Locust's `median_from_dict`: the bucket holding request number
 * `(total - 1) / 2` counted from the fastest; the largest bucket when the
 * histogram holds fewer requests than `total`; undefined when it is empty.
 *
 * @example
 * ```ts
 * import { medianOf } from "./response_times.ts";
 * medianOf(4, new Map([[10, 2], [20, 2]])); // 10
 * ```
 */
export function medianOf(
  total: number,
  histogram: ReadonlyMap<number, number>,
): number | undefined {
  let pos = (total - 1) / 2;
  let last: number | undefined;
  for (const key of [...histogram.keys()].sort((a, b) => a - b)) {
    const count = histogram.get(key) ?? 0;
    if (pos < count) return key;
    pos -= count;
    last = key;
  }
  return last;
}

/**
 * Locust's `diff_response_time_dicts`: the requests in `latest` that are not
 * in `old`, bucket by bucket, without zero buckets.
 *
 * @example
 * ```ts
 * import { diffHistograms } from "./response_times.ts";
 * diffHistograms(new Map([[10, 5], [20, 1]]), new Map([[10, 5]])); // Map { 20 => 1 }
 * ```
 */
export function diffHistograms(
  latest: ReadonlyMap<number, number>,
  old: ReadonlyMap<number, number>,
): ResponseTimeHistogram {
  const out: ResponseTimeHistogram = new Map();
  for (const [key, count] of latest) {
    const diff = count - (old.get(key) ?? 0);
    if (diff) out.set(key, diff);
  }
  return out;
}

/**
 * Locust's `get_readable_percentiles`: `0.5` → `50%`, `0.999` → `99.9%`.
 *
 * @example
 * ```ts
 * import { readablePercentiles } from "./response_times.ts";
 * readablePercentiles([0.5, 0.999, 1]); // ["50%", "99.9%", "100%"]
 * ```
 */
export function readablePercentiles(percentiles: readonly number[]): string[] {
  return percentiles.map((p) => {
    const pct = p * 100;
    if (Number.isInteger(pct)) return `${pct}%`;
    // Python: round(100 * p, 6), printed with repr.
    return `${pythonFloatRepr(Math.round(pct * 1e6) / 1e6)}%`;
  });
}
