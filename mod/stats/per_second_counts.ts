/**
 * Counts per Unix second for the last 64 seconds, in a fixed ring (Locust's
 * `num_reqs_per_sec` / `num_fail_per_sec`, of which only the last ~12 s are
 * ever read). Constant memory and no garbage however long the run.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { PerSecondCounts } from "./per_second_counts.ts";
 * const counts = new PerSecondCounts();
 * counts.add(1_700_000_000, 3);
 * assert.equal(counts.get(1_700_000_000), 3);
 * assert.equal(counts.get(1_699_999_999), 0);
 * ```
 * @module
 */

/** How many seconds the ring keeps. */
export const PER_SECOND_WINDOW = 64;

/** Counts per second for the latest {@linkcode PER_SECOND_WINDOW} seconds. */
export class PerSecondCounts {
  #seconds = new Float64Array(PER_SECOND_WINDOW).fill(-Infinity);
  #counts = new Float64Array(PER_SECOND_WINDOW);

  /** Add `count` to `second`; a second older than the one now in its slot is dropped. */
  add(second: number, count: number): void {
    const i = ((second % PER_SECOND_WINDOW) + PER_SECOND_WINDOW) % PER_SECOND_WINDOW;
    const held = this.#seconds[i] as number;
    if (held === second) this.#counts[i]! += count;
    else if (second > held) {
      this.#seconds[i] = second;
      this.#counts[i] = count;
    }
  }

  /** The count of `second`, 0 when unknown or too old. */
  get(second: number): number {
    const i = ((second % PER_SECOND_WINDOW) + PER_SECOND_WINDOW) % PER_SECOND_WINDOW;
    return this.#seconds[i] === second ? (this.#counts[i] as number) : 0;
  }

  /** The kept seconds and counts, flattened `[second, count, ...]`, oldest first. */
  flat(): number[] {
    const pairs: [number, number][] = [];
    for (let i = 0; i < PER_SECOND_WINDOW; i++) {
      const second = this.#seconds[i] as number;
      if (second !== -Infinity && this.#counts[i] !== 0) {
        pairs.push([second, this.#counts[i] as number]);
      }
    }
    return pairs.sort((a, b) => a[0] - b[0]).flat();
  }

  /** Forget everything. */
  clear(): void {
    this.#seconds.fill(-Infinity);
    this.#counts.fill(0);
  }
}
