/**
 * Worker-side batching of samples into a {@linkcode StatsDelta}: a small,
 * structured-clonable summary (Locust's per-entry counters and response-time
 * buckets, the batch's Aggregated counters, failures and exceptions) that the
 * main thread merges by addition in
 * {@linkcode ../stats/aggregator.ts StatsAggregator}, as Locust's master merges
 * its workers' reports (`StatsEntry.extend`). A delta's size depends on the
 * number of entries, buckets and seconds it covers, never on the number of
 * samples.
 *
 * Sums of response times are running float sums in the order the samples
 * came, as Locust's `total_response_time`: the main thread adds each batch's
 * sum to its own, as Locust's master adds each worker report's.
 *
 * @example
 * ```ts
 * import { DeltaRecorder } from "./delta.ts";
 * const recorder = new DeltaRecorder();
 * recorder.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 12.5, length: 10, at: Date.now() });
 * const delta = recorder.take(); // post it to the main thread
 * if (delta?.total?.numRequests !== 1) throw new Error("one request in the batch");
 * if (recorder.take() !== undefined) throw new Error("nothing new");
 * ```
 * @module
 */

import type { FailureRow } from "../model/failure_row.ts";
import { bucketOf } from "./response_times.ts";
import type { ExceptionReport, Sample } from "../model/sample.ts";

/** One (type, name) entry's counters over the batch. */
export interface EntryDelta {
  /** Request type (Locust's method), e.g. `Submit Image`. */
  type: string;
  /** Entry name, e.g. `small.tif:centerpoint`. */
  name: string;
  /** Requests, failed ones included. */
  numRequests: number;
  /** Requests without a response time (non-finite `responseTimeMs`). */
  numNoneRequests: number;
  /** Failed requests. */
  numFailures: number;
  /** Running float sum of the response times, in sample order (Locust's `total_response_time`). */
  totalResponseTime: number;
  /** Smallest response time, or null when none had one. */
  minResponseTime: number | null;
  /** Whether the smallest response time is a Python int (see `Sample.responseTimeIsInt`). */
  minIsInt: boolean;
  /** Largest response time (the int 0 when none). */
  maxResponseTime: number;
  /** Whether the largest response time is a Python int (true for the initial 0). */
  maxIsInt: boolean;
  /** Sum of the response lengths. */
  totalContentLength: number;
  /** Response-time buckets, flattened `[bucket, count, bucket, count, ...]`. */
  responseTimes: number[];
  /** Requests per Unix second, flattened `[second, count, ...]`. */
  reqsPerSec: number[];
  /** Failures per Unix second, flattened `[second, count, ...]`. */
  failsPerSec: number[];
  /** End of the latest request in Unix seconds (Locust's `last_request_timestamp`), or null. */
  lastRequestS: number | null;
}

/** Failures of one (method, name, error) over the batch. */
export type FailureDelta = FailureRow;

/** Exceptions with one traceback over the batch. */
export interface ExceptionDelta {
  message: string;
  traceback: string;
  count: number;
  nodes: string[];
  firstSeen: number;
  lastSeen: number;
}

/** A worker's batch of statistics: merge it with `StatsAggregator.apply`. */
export interface StatsDelta {
  entries: EntryDelta[];
  /**
   * Every request of the batch as one entry (type `""`, name `Aggregated`):
   * Locust's worker report carries its `stats_total`, and the master extends
   * its total with it. Null when the batch has no request.
   */
  total: EntryDelta | null;
  failures: FailureDelta[];
  exceptions: ExceptionDelta[];
}

// Buckets are counted in a reused typed array (no garbage per batch): slots
// 0–99 hold buckets 0–99, then 100–990 by 10, 1 000–9 900 by 100 and
// 10 000 ms–10 min by 1 000 (3.5 KB per entry); anything else goes to a Map.
const SLOTS = 280 + 591;

function slotOf(bucket: number): number {
  if (bucket < 0 || !Number.isInteger(bucket)) return -1;
  if (bucket < 100) return bucket;
  if (bucket < 1000) return 100 + (bucket - 100) / 10;
  if (bucket < 10000) return 190 + (bucket - 1000) / 100;
  const slot = 280 + (bucket - 10000) / 1000;
  return slot < SLOTS ? slot : -1;
}

function bucketOfSlot(slot: number): number {
  if (slot < 100) return slot;
  if (slot < 190) return 100 + (slot - 100) * 10;
  if (slot < 280) return 1000 + (slot - 190) * 100;
  return 10000 + (slot - 280) * 1000;
}

class EntryAccumulator {
  numRequests = 0;
  numNoneRequests = 0;
  numFailures = 0;
  sum = 0;
  // NaN for "none" keeps these fields unboxed doubles (no garbage per sample).
  minResponseTime = NaN;
  minIsInt = false;
  maxResponseTime = 0;
  maxIsInt = true;
  totalContentLength = 0;
  readonly slots = new Uint32Array(SLOTS);
  minSlot = SLOTS;
  maxSlot = -1;
  readonly otherBuckets = new Map<number, number>();
  readonly reqsPerSec = new Map<number, number>();
  readonly failsPerSec = new Map<number, number>();
  lastRequestS = NaN;
  constructor(readonly type: string, readonly name: string) {}

  /** Count one request ended at `atS` (Unix seconds), in second `second`. */
  add(sample: Sample, atS: number, second: number): void {
    this.numRequests++;
    this.reqsPerSec.set(second, (this.reqsPerSec.get(second) ?? 0) + 1);
    if (!(atS <= this.lastRequestS)) this.lastRequestS = atS; // also when NaN (none yet)
    const rt = sample.responseTimeMs;
    if (Number.isFinite(rt)) {
      this.sum += rt;
      // Python's min()/max() keep the held value on a tie, and with it its type.
      if (!(rt >= this.minResponseTime)) { // also when NaN (none yet)
        this.minResponseTime = rt;
        this.minIsInt = sample.responseTimeIsInt === true;
      }
      if (rt > this.maxResponseTime) {
        this.maxResponseTime = rt;
        this.maxIsInt = sample.responseTimeIsInt === true;
      }
      this.addBucket(bucketOf(rt));
    } else {
      this.numNoneRequests++;
    }
    this.totalContentLength += sample.length;
    if (sample.error !== undefined) {
      this.numFailures++;
      this.failsPerSec.set(second, (this.failsPerSec.get(second) ?? 0) + 1);
    }
  }

  addBucket(bucket: number): void {
    const slot = slotOf(bucket);
    if (slot < 0) {
      this.otherBuckets.set(bucket, (this.otherBuckets.get(bucket) ?? 0) + 1);
      return;
    }
    this.slots[slot]! += 1;
    if (slot < this.minSlot) this.minSlot = slot;
    if (slot > this.maxSlot) this.maxSlot = slot;
  }

  /** The batch as a delta, then zero everything for the next batch. */
  takeDelta(): EntryDelta {
    const responseTimes: number[] = [];
    for (let slot = this.minSlot; slot <= this.maxSlot; slot++) {
      const count = this.slots[slot] as number;
      if (count !== 0) responseTimes.push(bucketOfSlot(slot), count);
    }
    for (const [bucket, count] of this.otherBuckets) responseTimes.push(bucket, count);
    const delta: EntryDelta = {
      type: this.type,
      name: this.name,
      numRequests: this.numRequests,
      numNoneRequests: this.numNoneRequests,
      numFailures: this.numFailures,
      totalResponseTime: this.sum,
      minResponseTime: Number.isNaN(this.minResponseTime) ? null : this.minResponseTime,
      minIsInt: this.minIsInt,
      maxResponseTime: this.maxResponseTime,
      maxIsInt: this.maxIsInt,
      totalContentLength: this.totalContentLength,
      responseTimes,
      reqsPerSec: flatten(this.reqsPerSec),
      failsPerSec: flatten(this.failsPerSec),
      lastRequestS: Number.isNaN(this.lastRequestS) ? null : this.lastRequestS,
    };
    this.numRequests = 0;
    this.numNoneRequests = 0;
    this.numFailures = 0;
    this.sum = 0;
    this.minResponseTime = NaN;
    this.minIsInt = false;
    this.maxResponseTime = 0;
    this.maxIsInt = true;
    this.totalContentLength = 0;
    if (this.maxSlot >= 0) this.slots.fill(0, this.minSlot, this.maxSlot + 1);
    this.minSlot = SLOTS;
    this.maxSlot = -1;
    this.otherBuckets.clear();
    this.reqsPerSec.clear();
    this.failsPerSec.clear();
    this.lastRequestS = NaN;
    return delta;
  }
}

function flatten(map: Map<number, number>): number[] {
  const out: number[] = [];
  for (const [k, v] of map) out.push(k, v);
  return out;
}

/**
 * Records samples and exception reports, and hands them out as deltas.
 * Memory is bounded by entries × (buckets + seconds per batch); about 3.5 KB per entry.
 *
 * @example
 * ```ts
 * import { DeltaRecorder } from "./delta.ts";
 * const r = new DeltaRecorder();
 * r.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 5, length: 0, at: 0, error: "Boom()" });
 * if (r.take()?.failures[0]?.occurrences !== 1) throw new Error("one failure");
 * ```
 */
export class DeltaRecorder {
  #entries = new Map<string, Map<string, EntryAccumulator>>();
  #total = new EntryAccumulator("", "Aggregated");
  #failures = new Map<string, FailureDelta>();
  #exceptions = new Map<string, ExceptionDelta>();
  #dirty = false;

  /** Count one request (Locust's `log_request`, plus `log_error` when it failed). */
  record(sample: Sample): void {
    let byName = this.#entries.get(sample.type);
    if (byName === undefined) {
      byName = new Map();
      this.#entries.set(sample.type, byName);
    }
    let acc = byName.get(sample.name);
    if (acc === undefined) {
      acc = new EntryAccumulator(sample.type, sample.name);
      byName.set(sample.name, acc);
    }
    const at = sample.at;
    const atS = sample.atSeconds ?? at / 1000;
    const second = Math.floor(atS);
    acc.add(sample, atS, second);
    this.#total.add(sample, atS, second);
    if (sample.error !== undefined) {
      const key = `${sample.type}\u0000${sample.name}\u0000${sample.error}`;
      const failure = this.#failures.get(key);
      if (failure === undefined) {
        this.#failures.set(key, {
          method: sample.type,
          name: sample.name,
          error: sample.error,
          occurrences: 1,
          firstSeen: at,
          lastSeen: at,
        });
      } else {
        failure.occurrences++;
        if (at < failure.firstSeen) failure.firstSeen = at;
        if (at > failure.lastSeen) failure.lastSeen = at;
      }
    }
    this.#dirty = true;
  }

  /** Count one error raised outside a request (Locust's `log_exception`), grouped by traceback. */
  recordException(report: ExceptionReport): void {
    const found = this.#exceptions.get(report.traceback);
    if (found === undefined) {
      this.#exceptions.set(report.traceback, {
        message: report.message,
        traceback: report.traceback,
        count: 1,
        nodes: [report.node],
        firstSeen: report.at,
        lastSeen: report.at,
      });
    } else {
      found.count++;
      if (!found.nodes.includes(report.node)) found.nodes.push(report.node);
      if (report.at < found.firstSeen) found.firstSeen = report.at;
      if (report.at > found.lastSeen) found.lastSeen = report.at;
    }
    this.#dirty = true;
  }

  /** The batch recorded since the last call, or undefined when nothing new; starts a new batch. */
  take(): StatsDelta | undefined {
    if (!this.#dirty) return undefined;
    const entries: EntryDelta[] = [];
    // Accumulators are kept (and reused) for the entries seen so far.
    for (const byName of this.#entries.values()) {
      for (const acc of byName.values()) {
        if (acc.numRequests > 0) entries.push(acc.takeDelta());
      }
    }
    const delta: StatsDelta = {
      entries,
      total: this.#total.numRequests > 0 ? this.#total.takeDelta() : null,
      failures: [...this.#failures.values()],
      exceptions: [...this.#exceptions.values()],
    };
    this.#failures = new Map();
    this.#exceptions = new Map();
    this.#dirty = false;
    return delta;
  }
}
