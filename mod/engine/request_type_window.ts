/**
 * Numbers of one request type (all entries of `Submit Image`, or of `Job Complete`) over a
 * recent window, for the timeline's charts: the current rate (Locust's `current_rps`, summed
 * over the type's entries) and response-time percentiles over the last `windowS` seconds.
 *
 * The statistics keep one histogram per entry (type + image name), so a type's percentiles over
 * a window need copies of the type's merged histogram from the past: this keeps one copy per
 * second, for `windowS` seconds, and takes percentiles of the difference (as Locust's
 * `get_current_response_time_percentile` does for one entry). A reset of the statistics (fewer
 * requests than before) starts the copies over.
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { RequestTypeWindow } from "./request_type_window.ts";
 * const stats = new StatsAggregator(0);
 * const window = new RequestTypeWindow("Submit Image", 10);
 * if (window.percentiles(stats, 1_000, [0.5])[0] !== null) throw new Error("nothing recorded yet");
 * stats.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 20, length: 1, at: 1_500 });
 * const [p50] = window.percentiles(stats, 2_000, [0.5]);
 * if (p50 !== 20) throw new Error(`p50 ${p50}`);
 * ```
 * @module
 */
import type { StatsAggregator } from "../stats/aggregator.ts";
import { diffHistograms, percentileOf } from "../stats/response_times.ts";

interface Copy {
  second: number;
  count: number;
  histogram: Map<number, number>;
}

/**
 * One request type's recent numbers (see the module doc).
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { RequestTypeWindow } from "./request_type_window.ts";
 * const window = new RequestTypeWindow("Job Complete", 60);
 * if (window.currentRps(new StatsAggregator(0)) !== 0) throw new Error("no requests, no rate");
 * ```
 */
export class RequestTypeWindow {
  /** The request type, e.g. `Submit Image`. */
  readonly type: string;
  /** Length of the percentile window in seconds. */
  readonly windowS: number;
  #copies: Copy[] = [];

  constructor(type: string, windowS: number) {
    this.type = type;
    this.windowS = windowS;
  }

  /** Current requests/s of the type (the sum of its entries' `currentRps`). */
  currentRps(stats: StatsAggregator): number {
    let sum = 0;
    for (const entry of stats.entries()) if (entry.type === this.type) sum += entry.currentRps;
    return sum;
  }

  /** Current failures/s of the type (the sum of its entries' `currentFailPerSec`). */
  currentFailPerSec(stats: StatsAggregator): number {
    let sum = 0;
    for (const entry of stats.entries()) {
      if (entry.type === this.type) sum += entry.currentFailPerSec;
    }
    return sum;
  }

  /**
   * Response-time percentiles (each 0–1) of the type's requests that finished in the last
   * `windowS` seconds before `now` (ms since epoch); null for each when none did. Call it about
   * once a second: each call keeps a copy of the type's histogram for later windows.
   */
  percentiles(stats: StatsAggregator, now: number, percents: readonly number[]): (number | null)[] {
    const second = Math.floor(now / 1000);
    const histogram = new Map<number, number>();
    let count = 0;
    for (const entry of stats.entries()) {
      if (entry.type !== this.type) continue;
      for (const [bucket, n] of entry.responseTimes) {
        histogram.set(bucket, (histogram.get(bucket) ?? 0) + n);
        count += n;
      }
    }
    const newest = this.#copies.at(-1);
    // Fewer requests than a second ago: the statistics were reset.
    if (newest !== undefined && count < newest.count) this.#copies = [];
    if (this.#copies.length === 0) {
      this.#copies.push({ second: second - 1, count: 0, histogram: new Map() });
    }
    // The copy the window starts from: the oldest one no older than the window.
    const from = this.#copies.find((c) => c.second >= second - this.windowS) ??
      (this.#copies.at(-1) as Copy);
    const inWindow = count - from.count;
    const recent = inWindow > 0 ? diffHistograms(histogram, from.histogram) : undefined;
    const result = percents.map((p) =>
      recent === undefined ? null : percentileOf(recent, inWindow, p)
    );
    if (newest !== undefined && newest.second === second) {
      newest.count = count;
      newest.histogram = histogram;
    } else this.#copies.push({ second, count, histogram });
    while (this.#copies.length > 1 && (this.#copies[0] as Copy).second < second - this.windowS) {
      this.#copies.shift();
    }
    return result;
  }
}
