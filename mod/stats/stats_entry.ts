/**
 * One row of the statistics: Locust's `StatsEntry` (Locust 2.46.3, see
 * `LOCUST_VERSION`) for a (type, name) pair or the `Aggregated` total, with
 * the same counters and the same derived values: the average from a running
 * float sum, min and max keeping the sample's own type (Python int or float),
 * the median clamped into [min, max], int percentiles from the buckets,
 * total and current requests/s, current-window percentiles.
 *
 * Times are counted in Unix seconds (floats), as Locust counts them with
 * `time.time()`; the `now` arguments are milliseconds since the epoch.
 *
 * @example
 * ```ts
 * import { StatsEntry } from "./stats_entry.ts";
 * const clock = { startS: 1, lastRequestS: 3 };
 * const entry = new StatsEntry("Submit Image", "a.tif:m", clock, 1000);
 * entry.extend({
 *   type: "Submit Image", name: "a.tif:m", numRequests: 1, numNoneRequests: 0, numFailures: 0,
 *   totalResponseTime: 12, minResponseTime: 12, minIsInt: false, maxResponseTime: 12,
 *   maxIsInt: false, totalContentLength: 5, responseTimes: [12, 1], reqsPerSec: [2, 1],
 *   failsPerSec: [], lastRequestS: 3,
 * });
 * if (entry.avgResponseTime !== 12 || entry.totalRps !== 0.5) throw new Error("avg and rate");
 * ```
 * @module
 */

import type { EntryDelta } from "./delta.ts";
import { PerSecondCounts } from "./per_second_counts.ts";
import {
  diffHistograms,
  medianOf,
  percentileOf,
  type ResponseTimeHistogram,
} from "./response_times.ts";

/** Locust's `CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW`, in seconds. */
export const CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW = 10;

/** The run-wide times every entry's rates are computed against (Locust's `self.stats`). */
export interface StatsClock {
  /** When the statistics started or were last reset, Unix seconds (Locust's `start_time`). */
  readonly startS: number;
  /** End of the latest request of any entry, Unix seconds, or null. */
  readonly lastRequestS: number | null;
}

/**
 * A copy of the histogram at one second (Locust's `CachedResponseTimes`),
 * kept in reusable typed arrays: a new Map every second per entry would
 * fill the old generation with garbage.
 */
class HistogramSnapshot {
  second = 0;
  numRequests = 0;
  numNoneRequests = 0;
  size = 0;
  keys = new Float64Array(64);
  counts = new Float64Array(64);

  fill(
    second: number,
    histogram: ResponseTimeHistogram,
    numRequests: number,
    numNoneRequests: number,
  ): void {
    if (histogram.size > this.keys.length) {
      const capacity = 2 ** Math.ceil(Math.log2(histogram.size));
      this.keys = new Float64Array(capacity);
      this.counts = new Float64Array(capacity);
    }
    let i = 0;
    for (const [key, count] of histogram) {
      this.keys[i] = key;
      this.counts[i] = count;
      i++;
    }
    this.size = i;
    this.second = second;
    this.numRequests = numRequests;
    this.numNoneRequests = numNoneRequests;
  }

  toMap(): ResponseTimeHistogram {
    const map: ResponseTimeHistogram = new Map();
    for (let i = 0; i < this.size; i++) map.set(this.keys[i] as number, this.counts[i] as number);
    return map;
  }
}

/**
 * Statistics of one (type, name) entry, or of the `Aggregated` total (type
 * `""`). Built and fed by `StatsAggregator`; read by the outputs.
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "./aggregator.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 147, length: 0, at: 1000 });
 * // The bucket 150 is clamped to the max, a float like the sample.
 * if (stats.total.medianResponseTime !== 147 || stats.total.medianIsInt) throw new Error("clamped");
 * ```
 */
export class StatsEntry {
  /** Request type (Locust's method); `""` for the Aggregated row. */
  readonly type: string;
  /** Entry name; `Aggregated` for the total. */
  readonly name: string;
  /** Requests, failed ones included. */
  numRequests = 0;
  /** Requests that had no response time. */
  numNoneRequests = 0;
  /** Failed requests. */
  numFailures = 0;
  // Doubles with NaN for "none": a field that also holds null would box every
  // new value in a fresh heap number, promoted garbage on every merge.
  #min = NaN;
  #minIsInt = false;
  #maxIsInt = true;
  #last = NaN;

  /** Smallest response time (ms), or null before the first one. */
  get minResponseTime(): number | null {
    return Number.isNaN(this.#min) ? null : this.#min;
  }
  /** Whether {@linkcode minResponseTime} is a Python int (Locust writes `3868`, not `3868.0`). */
  get minIsInt(): boolean {
    return this.#minIsInt;
  }
  /** Largest response time (ms); 0 before the first one. */
  maxResponseTime = 0;
  /** Whether {@linkcode maxResponseTime} is a Python int; true for the initial 0, as in Locust. */
  get maxIsInt(): boolean {
    return this.#maxIsInt;
  }
  /** Sum of response lengths (bytes for `Submit Image`). */
  totalContentLength = 0;
  /** When this entry was created or last reset, Unix seconds. */
  startS: number;
  /** End of this entry's latest request, Unix seconds, or null. */
  get lastRequestS(): number | null {
    return Number.isNaN(this.#last) ? null : this.#last;
  }
  /** Response-time buckets → counts (Locust's `response_times`). */
  readonly responseTimes: ResponseTimeHistogram = new Map();
  /** Requests per Unix second, for the last 64 s. */
  readonly numReqsPerSec = new PerSecondCounts();
  /** Failures per Unix second, for the last 64 s. */
  readonly numFailPerSec = new PerSecondCounts();

  #sum = 0;
  /** Histogram copies in insertion order, at most 20 (an OrderedDict in Locust). */
  #cache: HistogramSnapshot[] = [];
  #clock: StatsClock;
  #sortedDesc: number[] | undefined;

  /**
   * A new empty entry; `clock` gives the run-wide start and latest request
   * times; `now` (ms since epoch) or `nowS` (Unix seconds, exact) its start.
   */
  constructor(
    type: string,
    name: string,
    clock: StatsClock,
    now: number = Date.now(),
    nowS: number = now / 1000,
  ) {
    this.type = type;
    this.name = name;
    this.#clock = clock;
    this.startS = nowS;
    this.#cacheResponseTimes(Math.floor(nowS));
  }

  /** Zero every counter (Locust's `reset`); `now` (ms since epoch) becomes the start time. */
  reset(now: number = Date.now()): void {
    this.startS = now / 1000;
    this.numRequests = 0;
    this.numNoneRequests = 0;
    this.numFailures = 0;
    this.#sum = 0;
    this.responseTimes.clear();
    this.#sortedDesc = undefined;
    this.#min = NaN;
    this.#minIsInt = false;
    this.maxResponseTime = 0;
    this.#maxIsInt = true;
    this.#last = NaN;
    this.numReqsPerSec.clear();
    this.numFailPerSec.clear();
    this.totalContentLength = 0;
    this.#cache.length = 0;
    this.#cacheResponseTimes(Math.floor(this.startS));
  }

  /** Merge a worker's counters into this entry by addition (Locust's `extend`). */
  extend(delta: EntryDelta): void {
    const oldLast = this.#last;
    if (delta.lastRequestS !== null) {
      this.#last = Number.isNaN(oldLast)
        ? delta.lastRequestS
        : Math.max(oldLast, delta.lastRequestS);
    }
    this.numRequests += delta.numRequests;
    this.numNoneRequests += delta.numNoneRequests;
    this.numFailures += delta.numFailures;
    this.#sum += delta.totalResponseTime;
    // Python's max()/min() keep the held value on a tie, and with it its int/float type.
    if (delta.maxResponseTime > this.maxResponseTime) {
      this.maxResponseTime = delta.maxResponseTime;
      this.#maxIsInt = delta.maxIsInt;
    }
    if (delta.minResponseTime !== null && !(delta.minResponseTime >= this.#min)) {
      this.#min = delta.minResponseTime; // also when none yet (NaN)
      this.#minIsInt = delta.minIsInt;
    }
    this.totalContentLength += delta.totalContentLength;
    addFlat(this.responseTimes, delta.responseTimes);
    if (delta.responseTimes.length > 0) this.#sortedDesc = undefined;
    addFlatPerSecond(this.numReqsPerSec, delta.reqsPerSec);
    addFlatPerSecond(this.numFailPerSec, delta.failsPerSec);
    if (!Number.isNaN(this.#last)) {
      const lastSecond = Math.floor(this.#last);
      // Locust caches the histogram whenever the latest request enters a new second.
      const oldSecond = Number.isNaN(oldLast) ? 0 : Math.floor(oldLast);
      if (lastSecond > oldSecond) this.#cacheResponseTimes(lastSecond);
    }
  }

  /** This entry's counters as a delta (for merging entries, e.g. all entries of one type). */
  toDelta(): EntryDelta {
    const flat = (m: Map<number, number>) => [...m].flat();
    return {
      type: this.type,
      name: this.name,
      numRequests: this.numRequests,
      numNoneRequests: this.numNoneRequests,
      numFailures: this.numFailures,
      totalResponseTime: this.#sum,
      minResponseTime: this.minResponseTime,
      minIsInt: this.#minIsInt,
      maxResponseTime: this.maxResponseTime,
      maxIsInt: this.#maxIsInt,
      totalContentLength: this.totalContentLength,
      responseTimes: flat(this.responseTimes),
      reqsPerSec: this.numReqsPerSec.flat(),
      failsPerSec: this.numFailPerSec.flat(),
      lastRequestS: this.lastRequestS,
    };
  }

  /**
   * Sum of all response times (ms): a running float sum in the order the
   * batches were merged, each batch summed in sample order (Locust's
   * `total_response_time`, as its master adds the workers' sums).
   */
  get totalResponseTime(): number {
    return this.#sum;
  }

  /** Failures / requests (1 when there are failures but no requests). */
  get failRatio(): number {
    if (this.numRequests === 0) return this.numFailures > 0 ? 1 : 0;
    return this.numFailures / this.numRequests;
  }

  /** Mean response time (ms) over requests that had one; 0 when none. */
  get avgResponseTime(): number {
    const n = this.numRequests - this.numNoneRequests;
    return n === 0 ? 0 : this.totalResponseTime / n;
  }

  /** Median bucket, clamped into [min, max]; 0 when there is no response time. */
  get medianResponseTime(): number {
    return this.#median().value;
  }

  /**
   * Whether Locust holds the median as a Python int: a bucket is an int
   * (Locust 2.44+); a median clamped to the min or max has that value's type.
   * Decides `140` vs `147.0` in the CSV files.
   */
  get medianIsInt(): boolean {
    return this.#median().isInt;
  }

  #median(): { value: number; isInt: boolean } {
    if (this.responseTimes.size === 0) return { value: 0, isInt: true };
    const median = medianOf(this.numRequests - this.numNoneRequests, this.responseTimes) ?? 0;
    if (median > this.maxResponseTime) {
      return { value: this.maxResponseTime, isInt: this.#maxIsInt };
    }
    if (this.minResponseTime !== null && median < this.minResponseTime) {
      return { value: this.minResponseTime, isInt: this.#minIsInt };
    }
    return { value: median, isInt: true };
  }

  /** Mean response length; 0 when there are no requests. */
  get avgContentLength(): number {
    return this.numRequests === 0 ? 0 : this.totalContentLength / this.numRequests;
  }

  /** Requests / seconds from the start to the latest request of the run (Locust's `total_rps`). */
  get totalRps(): number {
    return this.#perSecond(this.numRequests);
  }

  /** Failures / seconds from the start to the latest request of the run. */
  get totalFailPerSec(): number {
    return this.#perSecond(this.numFailures);
  }

  #perSecond(count: number): number {
    const last = this.#clock.lastRequestS;
    const start = this.#clock.startS;
    if (!last || !start) return 0;
    const span = last - start;
    return span === 0 ? 0 : count / span;
  }

  /**
   * Mean requests per second over the one-second slots from 12 s to 3 s
   * before the run's latest request, not before the start (Locust's `current_rps`).
   */
  get currentRps(): number {
    return this.#currentRate(this.numReqsPerSec);
  }

  /** Mean failures per second over the same window as {@linkcode currentRps}. */
  get currentFailPerSec(): number {
    return this.#currentRate(this.numFailPerSec);
  }

  #currentRate(perSecond: PerSecondCounts): number {
    const last = this.#clock.lastRequestS;
    if (last === null) return 0;
    const lastSecond = Math.floor(last);
    const from = Math.max(lastSecond - 12, Math.floor(this.#clock.startS));
    let sum = 0;
    let n = 0;
    for (let t = from; t < lastSecond - 2; t++) {
      sum += perSecond.get(t);
      n++;
    }
    return sum / Math.max(n, 1);
  }

  /**
   * The response time (an int bucket) that `percent` (0–1) of the requests
   * with a response time finished within; 0 when there is none.
   */
  percentile(percent: number): number {
    this.#sortedDesc ??= [...this.responseTimes.keys()].sort((a, b) => b - a);
    return percentileOf(
      this.responseTimes,
      this.numRequests - this.numNoneRequests,
      percent,
      this.#sortedDesc,
    );
  }

  /**
   * The percentile over about the last 10 s (Locust's
   * `get_current_response_time_percentile`), or null when no histogram copy
   * from 2–18 s ago exists yet.
   */
  currentPercentile(percent: number, now: number = Date.now()): number | null {
    const t = Math.floor(now / 1000);
    const w = CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW;
    const acceptable = [t - w];
    for (let i = 1; i < 9; i++) acceptable.push(t - w - i, t - w + i);
    for (const ts of acceptable) {
      const cached = this.#findCached(ts);
      if (cached !== undefined) {
        return percentileOf(
          diffHistograms(this.responseTimes, cached.toMap()),
          (this.numRequests - this.numNoneRequests) -
            (cached.numRequests - cached.numNoneRequests),
          percent,
        );
      }
    }
    return null;
  }

  #findCached(second: number): HistogramSnapshot | undefined {
    for (const c of this.#cache) if (c.second === second) return c;
    return undefined;
  }

  #cacheResponseTimes(second: number): void {
    // Like an OrderedDict, an existing key is overwritten in its place.
    for (const c of this.#cache) {
      if (c.second === second) {
        c.fill(second, this.responseTimes, this.numRequests, this.numNoneRequests);
        return;
      }
    }
    const size = CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW + 10;
    if (this.#cache.length < size) {
      const slot = new HistogramSnapshot();
      slot.fill(second, this.responseTimes, this.numRequests, this.numNoneRequests);
      this.#cache.push(slot);
      return;
    }
    // Full: reuse the oldest copy in place (no shift/push, which reallocates the array).
    const cache = this.#cache;
    const oldest = cache[0] as HistogramSnapshot;
    for (let i = 1; i < cache.length; i++) cache[i - 1] = cache[i] as HistogramSnapshot;
    oldest.fill(second, this.responseTimes, this.numRequests, this.numNoneRequests);
    cache[cache.length - 1] = oldest;
  }
}

function addFlat(target: Map<number, number>, flat: readonly number[]): void {
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const key = flat[i] as number;
    target.set(key, (target.get(key) ?? 0) + (flat[i + 1] as number));
  }
}

function addFlatPerSecond(target: PerSecondCounts, flat: readonly number[]): void {
  for (let i = 0; i + 1 < flat.length; i += 2) target.add(flat[i] as number, flat[i + 1] as number);
}
