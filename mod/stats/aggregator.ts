/**
 * The main thread's statistics: worker deltas merged by addition into
 * per-(type, name) entries plus `Aggregated`, failures grouped by (method,
 * name, error) and exceptions grouped by traceback, with Locust's semantics
 * (`RequestStats`, `StatsError`, the runner's exceptions). Memory does not
 * grow with the number of samples.
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "./aggregator.ts";
 * import { DeltaRecorder } from "./delta.ts";
 * const stats = new StatsAggregator(Date.now());
 * const worker = new DeltaRecorder();
 * worker.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 20, length: 1, at: Date.now() });
 * const delta = worker.take();
 * if (delta) stats.apply(delta);
 * if (stats.total.numRequests !== 1) throw new Error("one request");
 * ```
 * @module
 */

import { createHash } from "node:crypto";
import { DeltaRecorder, type EntryDelta, type StatsDelta } from "./delta.ts";
import { pythonStrRepr } from "./python_format.ts";
import type { ExceptionReport, Sample } from "../model/sample.ts";
import type { FailureRow } from "../model/failure_row.ts";
import { type StatsClock, StatsEntry } from "./stats_entry.ts";

export { StatsEntry } from "./stats_entry.ts";

/** Failures of one (method, name, error): a row of `_failures.csv`, with its sort key. */
export interface StatsFailure extends FailureRow {
  /** Locust's key: SHA-256 of `method.name.repr(error)`; the CSV row order. */
  readonly key: string;
}

/** Errors raised outside requests with one traceback: a row of `_exceptions.csv`. */
export interface StatsException {
  /** Message of the first occurrence. */
  readonly message: string;
  readonly traceback: string;
  count: number;
  /** Node ids, sorted (Locust keeps a set). */
  readonly nodes: string[];
  firstSeen: number;
  lastSeen: number;
}

/**
 * Locust's `StatsError.parse_error` for a string: mask the address in
 * `<... object at 0x7f...>` as `0x....`.
 *
 * @example
 * ```ts
 * import { maskErrorAddress } from "./aggregator.ts";
 * const masked = maskErrorAddress("Err(<X object at 0x7f12ab>)");
 * if (masked !== "Err(<X object at 0x....>)") throw new Error(masked);
 * ```
 */
export function maskErrorAddress(error: string): string {
  const target = "object at 0x";
  const index = error.indexOf(target);
  if (index < 0) return error;
  const start = index + target.length - 2;
  const end = error.indexOf(">", start);
  if (end < 0) return error;
  return error.replaceAll(error.slice(start, end), "0x....");
}

/**
 * Locust's failure key: the hex SHA-256 of `method.name.repr(error)`.
 *
 * @example
 * ```ts
 * import { failureKey } from "./aggregator.ts";
 * if (failureKey("Submit Image", "a.tif:m", "Boom()").length !== 64) throw new Error("hex SHA-256");
 * ```
 */
export function failureKey(method: string, name: string, error: string): string {
  return createHash("sha256").update(`${method}.${name}.${pythonStrRepr(error)}`, "utf8").digest(
    "hex",
  );
}

/** Compare strings by code point, as Python sorts `str`. */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/**
 * Merged statistics of a run. Feed it worker deltas with {@linkcode apply}
 * (or single samples with {@linkcode record}); read entries, the total,
 * failures and exceptions.
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "./aggregator.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "a.tif:m", responseTimeMs: 20, length: 1, at: 1000, error: "Boom()" });
 * if (stats.failRatio !== 1) throw new Error("every request failed");
 * if (stats.failures()[0]?.occurrences !== 1) throw new Error("one failure");
 * ```
 */
export class StatsAggregator implements StatsClock {
  /** The `Aggregated` row: every request of every entry. */
  readonly total: StatsEntry;
  #entries = new Map<string, StatsEntry>();
  #failures = new Map<string, StatsFailure>();
  #exceptions = new Map<string, StatsException>();
  #local = new DeltaRecorder();
  #sorted: StatsEntry[] | undefined;

  /**
   * Start empty; `startedAt` (ms since epoch, default now) is the start of the
   * rates; `startedAtS` gives it exactly in Unix seconds (a replay's clock).
   */
  constructor(startedAt: number = Date.now(), startedAtS: number = startedAt / 1000) {
    this.total = new StatsEntry("", "Aggregated", this, startedAt, startedAtS);
  }

  /** When the statistics started or were last reset, Unix seconds (Locust's `start_time`). */
  get startS(): number {
    return this.total.startS;
  }

  /** End of the latest request of any entry, Unix seconds, or null. */
  get lastRequestS(): number | null {
    return this.total.lastRequestS;
  }

  /** Requests of all entries. */
  get numRequests(): number {
    return this.total.numRequests;
  }

  /** Failures of all entries. */
  get numFailures(): number {
    return this.total.numFailures;
  }

  /** Failures / requests over all entries. */
  get failRatio(): number {
    return this.total.failRatio;
  }

  /**
   * Merge one worker delta by addition. `now` (ms, default the wall clock)
   * only dates the histogram copy of an entry seen for the first time.
   */
  apply(delta: StatsDelta, now: number = Date.now()): void {
    for (const entryDelta of delta.entries) this.#entry(entryDelta, now).extend(entryDelta);
    // Locust's master extends its total with the worker's own total, not entry by entry:
    // that keeps the running sum in the order Locust adds.
    if (delta.total !== null) this.total.extend(delta.total);
    for (const f of delta.failures) {
      const error = maskErrorAddress(f.error);
      // Hash once per distinct failure, not once per delta.
      const plainKey = `${f.method}\u0000${f.name}\u0000${error}`;
      const found = this.#failures.get(plainKey);
      if (found === undefined) {
        const key = failureKey(f.method, f.name, error);
        this.#failures.set(plainKey, {
          method: f.method,
          name: f.name,
          error,
          occurrences: f.occurrences,
          firstSeen: f.firstSeen,
          lastSeen: f.lastSeen,
          key,
        });
      } else {
        found.occurrences += f.occurrences;
        found.firstSeen = Math.min(found.firstSeen, f.firstSeen);
        found.lastSeen = Math.max(found.lastSeen, f.lastSeen);
      }
    }
    for (const e of delta.exceptions) {
      const found = this.#exceptions.get(e.traceback);
      if (found === undefined) {
        this.#exceptions.set(e.traceback, { ...e, nodes: [...e.nodes].sort() });
      } else {
        found.count += e.count;
        for (const node of e.nodes) if (!found.nodes.includes(node)) found.nodes.push(node);
        found.nodes.sort();
        found.firstSeen = Math.min(found.firstSeen, e.firstSeen);
        found.lastSeen = Math.max(found.lastSeen, e.lastSeen);
      }
    }
  }

  /** Record one sample here (for the main thread's own samples; workers send deltas). */
  record(sample: Sample): void {
    this.#local.record(sample);
    const delta = this.#local.take();
    if (delta) this.apply(delta, sample.at);
  }

  /** Record one error raised outside a request. */
  recordException(report: ExceptionReport): void {
    this.#local.recordException(report);
    const delta = this.#local.take();
    if (delta) this.apply(delta, report.at);
  }

  /**
   * Zero every entry and forget failures and exceptions, as Locust's
   * "Reset stats" does (`stats.reset_all()` and `runner.exceptions = {}`);
   * entries stay listed.
   */
  reset(now: number = Date.now()): void {
    this.total.reset(now);
    for (const entry of this.#entries.values()) entry.reset(now);
    this.#failures = new Map();
    this.#exceptions = new Map();
  }

  /** Entries sorted by (name, type), as Locust sorts its tables. */
  entries(): readonly StatsEntry[] {
    this.#sorted ??= [...this.#entries.values()].sort((a, b) =>
      compareCodePoints(a.name, b.name) || compareCodePoints(a.type, b.type)
    );
    return this.#sorted;
  }

  /** The entry of (type, name), if any request of it was recorded. */
  entry(type: string, name: string): StatsEntry | undefined {
    return this.#entries.get(`${type}\u0000${name}`);
  }

  /** The distinct request types, sorted. */
  types(): string[] {
    return [...new Set(this.entries().map((e) => e.type))].sort(compareCodePoints);
  }

  /**
   * All entries of one request type merged into one (named after the type),
   * or undefined when there is none. A fresh object: read it, don't keep it.
   */
  mergedType(type: string): StatsEntry | undefined {
    return this.#merged(type, type, (e) => e.type === type);
  }

  /** All entries with this name (of any type) merged into one, or undefined when there is none. */
  mergedName(name: string): StatsEntry | undefined {
    const parts = this.entries().filter((e) => e.name === name);
    if (parts.length === 1) return parts[0];
    return this.#merged(parts[0]?.type ?? "", name, (e) => e.name === name);
  }

  #merged(type: string, name: string, include: (e: StatsEntry) => boolean): StatsEntry | undefined {
    const parts = this.entries().filter(include);
    if (parts.length === 0) return undefined;
    const merged = new StatsEntry(type, name, this, this.startS * 1000, this.startS);
    for (const part of parts) merged.extend(part.toDelta());
    return merged;
  }

  /** Failures in order of first appearance (the console's error report). */
  failures(): readonly StatsFailure[] {
    return [...this.#failures.values()];
  }

  /** Failures ordered by Locust's SHA-256 key (the `_failures.csv` row order). */
  sortedFailures(): readonly StatsFailure[] {
    return [...this.#failures.values()].sort((
      a,
      b,
    ) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Exceptions grouped by traceback, in order of first appearance. */
  exceptions(): readonly StatsException[] {
    return [...this.#exceptions.values()];
  }

  #entry(delta: EntryDelta, now: number): StatsEntry {
    const key = `${delta.type}\u0000${delta.name}`;
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = new StatsEntry(delta.type, delta.name, this, now);
      this.#entries.set(key, entry);
      this.#sorted = undefined;
    }
    return entry;
  }
}
