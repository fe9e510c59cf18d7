/**
 * An exact running sum of floats (Shewchuk's partials, as Python's
 * `math.fsum`). The result is the correctly rounded sum whatever the order of
 * the additions, so statistics merged from several workers come out
 * identical to the same samples recorded in one place.
 *
 * @example
 * ```ts
 * import { ExactSum } from "./exact_sum.ts";
 * const sum = new ExactSum();
 * for (const x of [0.1, 0.2, 0.3]) sum.add(x);
 * sum.value(); // 0.6 (plain addition gives 0.6000000000000001)
 * ```
 * @module
 */

/** A float sum kept exactly as non-overlapping partials. */
export class ExactSum {
  // A fixed backing array plus a count: growing and shrinking the array on
  // every addition would allocate a new backing store each time.
  #partials: number[] = [];
  #count = 0;

  /** Add one finite number. */
  add(value: number): void {
    let x = value;
    const partials = this.#partials;
    const count = this.#count;
    let i = 0;
    for (let j = 0; j < count; j++) {
      let y = partials[j] as number;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    if (i < partials.length) partials[i] = x;
    else partials.push(x);
    this.#count = i + 1;
  }

  /** Add every partial of another sum (or a `partials()` array from a delta). */
  addAll(values: readonly number[]): void {
    for (const v of values) this.add(v);
  }

  /** The partials, for sending in a delta. */
  partials(): number[] {
    return this.#partials.slice(0, this.#count);
  }

  /** The correctly rounded sum. */
  value(): number {
    const p = this.#partials;
    let n = this.#count;
    if (n === 0) return 0;
    let hi = p[--n] as number;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n] as number;
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // Round half-even correctly when the remaining partials push past a tie.
    if (n > 0) {
      const next = p[n - 1] as number;
      if ((lo < 0 && next < 0) || (lo > 0 && next > 0)) {
        const y = lo * 2;
        const x = hi + y;
        if (y === x - hi) hi = x;
      }
    }
    return hi;
  }

  /** Forget everything. */
  clear(): void {
    this.#partials = [];
    this.#count = 0;
  }
}
