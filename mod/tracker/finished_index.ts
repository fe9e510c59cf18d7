/**
 * What the tracker remembers of a job it has written out (to the job journal) and dropped from
 * memory: a 64-bit fingerprint of its image id and one word of state (final status, the
 * statuses it received, its attempt) — 12 bytes a job, plus the hash table's slack. That is
 * enough to judge a late status for it (a duplicate, or a change the state machine refuses)
 * and a late registration (a duplicate, or a refused retry), as when the job was in memory.
 *
 * Memory stays bounded: fingerprints live in two generations; when the newer one is older than
 * `retentionMs` (or holds `maxPerGeneration` jobs) the older one is dropped. A job is so
 * remembered for at least `retentionMs` after it finished (default 10 minutes) — far longer
 * than SQS redelivery or reordering delays a status. A status for a job forgotten this way is
 * counted as foreign.
 *
 * @example
 * ```ts
 * import { FinishedIndex } from "./finished_index.ts";
 * const index = new FinishedIndex({ retentionMs: 1000 });
 * index.add("j:s3://b/a.tif", 0x203, 0);
 * if (index.find("j:s3://b/a.tif") !== 0x203 || index.find("other") !== -1) throw new Error();
 * index.expire(1000); // the first generation is now old: it becomes the older one
 * index.expire(2000); // ... and is dropped
 * if (index.find("j:s3://b/a.tif") !== -1) throw new Error("forgotten after two generations");
 * ```
 * @module
 */
import { hashString, type StringHash } from "./string_hash.ts";

/** Options of a {@linkcode FinishedIndex}. */
export interface FinishedIndexOptions {
  /** Least time a finished job is remembered, ms (default 600,000). */
  retentionMs?: number;
  /** Most jobs in one generation (default 2^20): bounds memory at very high rates. */
  maxPerGeneration?: number;
}

interface Generation {
  lo: Uint32Array;
  hi: Uint32Array;
  state: Uint32Array;
  mask: number;
  count: number;
  /** When it became the newer generation (ms, the tracker's clock); NaN until known. */
  startedAt: number;
}

function generation(length = 1024): Generation {
  return {
    lo: new Uint32Array(length),
    hi: new Uint32Array(length),
    state: new Uint32Array(length),
    mask: length - 1,
    count: 0,
    startedAt: NaN,
  };
}

/** Bounded memory of finished jobs, by image id. */
export class FinishedIndex {
  #retentionMs: number;
  #maxPerGeneration: number;
  #current = generation();
  #older: Generation | undefined;
  #h: StringHash = { lo: 0, hi: 0 };
  /** Jobs forgotten so far (dropped with an old generation). */
  forgotten = 0;

  constructor(options: FinishedIndexOptions = {}) {
    this.#retentionMs = options.retentionMs ?? 600_000;
    this.#maxPerGeneration = options.maxPerGeneration ?? 1 << 20;
  }

  /** Jobs remembered now. */
  get size(): number {
    return this.#current.count + (this.#older?.count ?? 0);
  }

  /** Bytes held by the tables. */
  get bytes(): number {
    const of = (g: Generation | undefined) => g ? g.lo.byteLength * 3 : 0;
    return of(this.#current) + of(this.#older);
  }

  /** Remember a finished job; `state` must not be 0. `now` is the tracker's clock (ms). */
  add(imageId: string, state: number, now: number): void {
    if (state === 0) throw new Error("FinishedIndex.add: state 0 means empty; encode a status");
    let g = this.#current;
    if (g.count >= this.#maxPerGeneration) {
      this.#rotate(now);
      g = this.#current;
    }
    if (Number.isNaN(g.startedAt) && Number.isFinite(now)) g.startedAt = now;
    if ((g.count + 1) * 2 > g.lo.length) g = this.#current = rehash(g, g.lo.length * 2);
    const h = hashString(imageId, this.#h);
    insert(g, h.lo, h.hi, state);
  }

  /** The state remembered for this image id, or -1. */
  find(imageId: string): number {
    const h = hashString(imageId, this.#h);
    const found = lookup(this.#current, h.lo, h.hi);
    if (found >= 0 || !this.#older) return found;
    return lookup(this.#older, h.lo, h.hi);
  }

  /** Drop the older generation once the newer one has been filling for `retentionMs`. */
  expire(now: number): void {
    const g = this.#current;
    if (!Number.isFinite(now) || Number.isNaN(g.startedAt)) return;
    if (now - g.startedAt >= this.#retentionMs) this.#rotate(now);
  }

  #rotate(now: number): void {
    this.forgotten += this.#older?.count ?? 0;
    this.#older = this.#current;
    this.#current = generation();
    if (Number.isFinite(now)) this.#current.startedAt = now;
  }
}

function insert(g: Generation, lo: number, hi: number, state: number): void {
  let i = lo & g.mask;
  while (g.state[i] !== 0) {
    if (g.lo[i] === lo && g.hi[i] === hi) {
      g.state[i] = state;
      return;
    }
    i = (i + 1) & g.mask;
  }
  g.lo[i] = lo;
  g.hi[i] = hi;
  g.state[i] = state;
  g.count++;
}

function lookup(g: Generation, lo: number, hi: number): number {
  for (let i = lo & g.mask;; i = (i + 1) & g.mask) {
    const state = g.state[i]!;
    if (state === 0) return -1;
    if (g.lo[i] === lo && g.hi[i] === hi) return state;
  }
}

function rehash(g: Generation, length: number): Generation {
  const bigger = generation(length);
  bigger.startedAt = g.startedAt;
  for (let i = 0; i < g.state.length; i++) {
    if (g.state[i] !== 0) insert(bigger, g.lo[i]!, g.hi[i]!, g.state[i]!);
  }
  return bigger;
}
