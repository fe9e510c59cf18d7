/**
 * A small seeded pseudo-random number generator (mulberry32), so that the
 * simulator's random choices (faults, job outcomes, jitter) are reproducible.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Prng } from "./prng.ts";
 * const rng = new Prng(1);
 * const x = rng.next();
 * assert.ok(x >= 0 && x < 1);
 * assert.equal(new Prng(1).next(), x); // the same sequence for the same seed
 * ```
 * @module
 */

/**
 * A reproducible random sequence in [0, 1).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Prng } from "./prng.ts";
 * assert.equal(new Prng(42).chance(0.5), new Prng(42).chance(0.5)); // reproducible for seed 42
 * assert.equal(new Prng(42).chance(1), true);
 * ```
 */
export class Prng {
  #state: number;

  /** Start a sequence from `seed` (any integer). */
  constructor(seed: number) {
    this.#state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** The next number, uniformly in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** True with probability `p` (0 never, 1 always). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}
