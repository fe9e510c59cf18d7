/**
 * Locust's response-time histogram: the bucket rounding, the percentile walk,
 * the median and the diff used for "current" (last ~10 s) percentiles. Mirrors
 * `locust/stats.py` of Locust 2.46.3 (see `LOCUST_VERSION`):
 * `bucket_response_time`, `calculate_response_time_percentile`,
 * `median_from_dict`, `diff_response_time_dicts`, `PERCENTILES_TO_REPORT`,
 * `get_readable_percentiles`. Buckets are ints, as they are since Locust 2.44.
 *
 * @example
 * ```ts
 * import { bucketOf, percentileOf } from "./response_times.ts";
 * const buckets = new Map([[bucketOf(12.4), 1], [bucketOf(147), 1]]);
 * // No more than int(2 * 0.5) = 1 request may remain above p50: the walk stops at 150.
 * if (percentileOf(buckets, 2, 0.5) !== 150) throw new Error("p50 is the 150 ms bucket");
 * ```
 * @module
 */

import { pythonFloatRepr, pythonRoundToPowerOfTen } from "./python_format.ts";

/** A response-time histogram: bucket (ms, an int) → number of requests. */
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
 * Locust's `bucket_response_time` (2.44 and later): below 100 ms `round(ms)`,
 * below 1 000 `int(round(ms, -1))`, below 10 000 `int(round(ms, -2))`,
 * otherwise `int(round(ms, -3))`. Python rounds half to even on the exact
 * binary value (`round(145.0, -1)` is 140, `round(2.5)` is 2). The result is
 * always an int, so a median or percentile of 140 is written `140`, never
 * `140.0`.
 *
 * @example
 * ```ts
 * import { bucketOf } from "./response_times.ts";
 * if (bucketOf(147) !== 150 || bucketOf(3432) !== 3400 || bucketOf(58760) !== 59000) {
 *   throw new Error("two significant digits");
 * }
 * if (bucketOf(145) !== 140 || bucketOf(2.5) !== 2) throw new Error("ties go to even");
 * ```
 */
export function bucketOf(responseTimeMs: number): number {
  if (responseTimeMs < 100) return pythonRoundToPowerOfTen(responseTimeMs, 0);
  if (responseTimeMs < 1000) return pythonRoundToPowerOfTen(responseTimeMs, 1);
  if (responseTimeMs < 10000) return pythonRoundToPowerOfTen(responseTimeMs, 2);
  return pythonRoundToPowerOfTen(responseTimeMs, 3);
}

/**
 * Locust's `calculate_response_time_percentile`: walk the buckets from the
 * largest down; return the first bucket at which no more than
 * `int(numRequests * percent)` requests remain; 0 when there are none.
 * `numRequests` counts the requests that have a response time (Locust 2.46
 * passes `num_requests - num_none_requests`).
 *
 * @example
 * ```ts
 * import { percentileOf } from "./response_times.ts";
 * if (percentileOf(new Map([[10, 9], [500, 1]]), 10, 0.95) !== 500) throw new Error("p95");
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
 * if (medianOf(4, new Map([[10, 2], [20, 2]])) !== 10) throw new Error("median");
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
 * const diff = diffHistograms(new Map([[10, 5], [20, 1]]), new Map([[10, 5]]));
 * if (diff.size !== 1 || diff.get(20) !== 1) throw new Error("only the new request");
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
 * if (readablePercentiles([0.5, 0.999, 1]).join() !== "50%,99.9%,100%") throw new Error("labels");
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
