/**
 * Decimal rounding exactly as Python does it, so the cost report shows the
 * same figures as upstream's: `round(x, n)` and `f"{x:.nf}"` round the exact
 * binary value of `x`, ties to even (`round(0.125, 2) == 0.12`), where
 * JavaScript's `toFixed` breaks ties away from zero.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pyFixed, pyRound } from "./python_round.ts";
 * assert.equal(pyRound(0.125, 2), 0.12);
 * assert.equal(pyFixed(2.675, 2), "2.67"); // 2.675 is really 2.67499999…
 * ```
 * @module
 */

const PROBE_DIGITS = 30;

/**
 * Python's `f"{x:.{digits}f}"`: `x` with exactly `digits` decimals.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pyFixed } from "./python_round.ts";
 * assert.equal(pyFixed(0.5, 0), "0");
 * assert.equal(pyFixed(12.5, 1), "12.5");
 * ```
 */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
  const negative = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let text = a.toFixed(digits);
  const probeDigits = Math.min(100, digits + PROBE_DIGITS);
  const probe = a.toFixed(probeDigits);
  const tail = probe.slice(probe.length - (probeDigits - digits));
  if (tail === "5" + "0".repeat(probeDigits - digits - 1)) {
    // An exact tie: toFixed rounded up; Python keeps the even neighbour.
    const down = probe.slice(0, probe.length - (probeDigits - digits)).replace(/\.$/, "");
    const lastDigit = Number(down.at(-1));
    if (lastDigit % 2 === 0) text = down;
  }
  return negative ? `-${text}` : text;
}

/**
 * Python's `round(x, digits)` for a float.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { pyRound } from "./python_round.ts";
 * assert.equal(pyRound(72.604, 2), 72.6);
 * assert.equal(pyRound(2.5, 0), 2);
 * ```
 */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  return Number(pyFixed(x, digits));
}
