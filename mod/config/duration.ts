import { UsageError } from "../usage_error.ts";

/**
 * Parse a duration the way Locust's `--run-time` takes it: `90s`, `10m`, `1h30m`,
 * `2h`, `1h2m3s`, or a bare number of seconds. Returns seconds.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseDuration } from "./duration.ts";
 * assert.equal(parseDuration("1h30m", "--run-time"), 5400);
 * assert.equal(parseDuration("90s", "--run-time"), 90);
 * ```
 */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const match = /^(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m(?!s))?\s*(?:(\d+(?:\.\d+)?)s)?$/.exec(
    trimmed,
  );
  if (!match || trimmed === "" || (!match[1] && !match[2] && !match[3])) {
    throw new UsageError(
      `${flag} ${
        JSON.stringify(text)
      } is not a duration: use seconds or Locust's form, e.g. 90s, 10m, 1h30m`,
    );
  }
  const [, h = "0", m = "0", s = "0"] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/**
 * Parse a positive number flag (fractions allowed), with a one-line error.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parsePositiveNumber } from "./duration.ts";
 * assert.equal(parsePositiveNumber("0.5", "--processing-window-min"), 0.5);
 * ```
 */
export function parsePositiveNumber(text: string, flag: string, allowZero = false): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new UsageError(
      `${flag} must be a ${allowZero ? "non-negative" : "positive"} number (got ${
        JSON.stringify(text)
      })`,
    );
  }
  return value;
}

/**
 * Parse a non-negative integer flag, with a one-line error.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseCount } from "./duration.ts";
 * assert.equal(parseCount("5", "--users"), 5);
 * ```
 */
export function parseCount(text: string, flag: string, min = 0): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(
      `${flag} must be an integer ≥ ${min} (got ${JSON.stringify(text)}), e.g. ${flag} ${
        Math.max(min, 5)
      }`,
    );
  }
  return value;
}
