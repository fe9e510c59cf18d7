import { UsageError } from "../usage_error.ts";

/**
 * Parse an arrival rate: `120/min`, `2/s`, `7200/h`, or a bare number of jobs
 * per second. Returns jobs per second.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseRate } from "./rate.ts";
 * assert.equal(parseRate("120/min", "--rate"), 2);
 * assert.equal(parseRate("3600/h", "--rate"), 1);
 * ```
 */
export function parseRate(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute|h|hr|hour))?\s*$/i.exec(
    text,
  );
  if (!match) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not a rate: use jobs per unit, e.g. 120/min, 2/s, 7200/h`,
    );
  }
  const value = Number(match[1]);
  const unit = (match[2] ?? "s").toLowerCase();
  const perSecond = unit.startsWith("h") ? value / 3600 : unit.startsWith("m") ? value / 60 : value;
  if (!(perSecond > 0)) throw new UsageError(`${flag} must be more than 0 jobs per unit`);
  return perSecond;
}

/**
 * Format jobs per second for people: `2/s`, `120/min` style is kept as /s with
 * up to 3 decimals.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatRate } from "./rate.ts";
 * assert.equal(formatRate(0.5), "0.5/s");
 * ```
 */
export function formatRate(perSecond: number): string {
  return `${Number(perSecond.toFixed(3))}/s`;
}
