/**
 * The value parsers of the option table: each takes the text a person typed
 * (on the command line, in an environment variable or in a config file) and
 * the flag it belongs to, and returns the typed value or throws a one-line
 * {@linkcode UsageError} that names the flag and shows a good value.
 *
 * They are light (no AWS SDK): `--help` builds the command line from the
 * table that uses them.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { booleanValue, integerValue } from "./option_parsers.ts";
 * assert.equal(integerValue({ min: 0 })("5", "--users"), 5);
 * assert.equal(booleanValue("false", "--headless"), false);
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import { parseCount, parseDuration, parsePositiveNumber } from "./duration.ts";
import { parseS3Location, type S3Location } from "../aws/s3_location.ts";
import { parseRate } from "./rate.ts";
import { parseThreshold } from "../stats/thresholds.ts";

/** Turns typed text into a value; `flag` names the option in error messages. */
export type ValueParser<T> = (text: string, flag: string) => T;

/**
 * Any non-empty text, trimmed.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { textValue } from "./option_parsers.ts";
 * assert.equal(textValue(" centerpoint ", "--model-name"), "centerpoint");
 * ```
 */
export const textValue: ValueParser<string> = (text, flag) => {
  const value = text.trim();
  if (value === "") throw new UsageError(`${flag} is empty: give a value or leave it out`);
  return value;
};

/**
 * `true`/`false` (also `1`/`0`, `yes`/`no`, any case): switches set from the
 * environment or a config file.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { booleanValue } from "./option_parsers.ts";
 * assert.equal(booleanValue("TRUE", "--headless"), true);
 * assert.throws(() => booleanValue("maybe", "--headless"), /true or false/);
 * ```
 */
export const booleanValue: ValueParser<boolean> = (text, flag) => {
  const value = text.trim().toLowerCase();
  if (["true", "1", "yes"].includes(value)) return true;
  if (["false", "0", "no"].includes(value)) return false;
  throw new UsageError(`${flag} must be true or false (got ${JSON.stringify(text)})`);
};

/**
 * A whole number in `[min, max]`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { integerValue } from "./option_parsers.ts";
 * assert.equal(integerValue({ min: 0, max: 65535 })("8089", "--web-port"), 8089);
 * assert.throws(() => integerValue({ min: 0, max: 255 })("300", "--exit-code-on-error"), /0–255/);
 * ```
 */
export function integerValue(range: { min: number; max?: number }): ValueParser<number> {
  return (text, flag) => {
    const value = parseCount(text, flag, range.min);
    if (range.max !== undefined && value > range.max) {
      throw new UsageError(
        `${flag} must be ${range.min}–${range.max} (got ${JSON.stringify(text)}), e.g. ${flag} ${
          Math.min(range.max, Math.max(range.min, 1))
        }`,
      );
    }
    return value;
  };
}

/**
 * A number, fractions allowed: more than 0, or at least 0 when `allowZero`;
 * at most `max` when given.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { numberValue } from "./option_parsers.ts";
 * assert.equal(numberValue({ allowZero: false })("0.5", "--spawn-rate"), 0.5);
 * assert.throws(() => numberValue({ allowZero: false })("0", "--spawn-rate"), /positive/);
 * ```
 */
export function numberValue(range: { allowZero: boolean; max?: number }): ValueParser<number> {
  return (text, flag) => {
    const value = parsePositiveNumber(text, flag, range.allowZero);
    if (range.max !== undefined && value > range.max) {
      throw new UsageError(
        `${flag} must be at most ${range.max} (got ${JSON.stringify(text)})`,
      );
    }
    return value;
  };
}

/**
 * A duration as Locust's `--run-time` takes it (`90s`, `10m`, `1h30m`, bare
 * seconds), in seconds; more than 0 unless `allowZero`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { durationValue } from "./option_parsers.ts";
 * assert.equal(durationValue({ allowZero: false })("1h30m", "--run-time"), 5400);
 * assert.throws(() => durationValue({ allowZero: false })("0s", "--run-time"), /longer than 0/);
 * ```
 */
export function durationValue(range: { allowZero: boolean }): ValueParser<number> {
  return (text, flag) => {
    const value = parseDuration(text, flag);
    if (!range.allowZero && value <= 0) {
      throw new UsageError(`${flag} must be longer than 0s, e.g. ${flag} 90s`);
    }
    return value;
  };
}

/**
 * One of `choices` (compared without case); returns the choice as listed.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { choiceValue } from "./option_parsers.ts";
 * const level = choiceValue(["DEBUG", "INFO"] as const);
 * assert.equal(level("debug", "--loglevel"), "DEBUG");
 * ```
 */
export function choiceValue<C extends string>(choices: readonly C[]): ValueParser<C> {
  return (text, flag) => {
    const wanted = text.trim().toLowerCase();
    const found = choices.find((choice) => choice.toLowerCase() === wanted);
    if (found === undefined) {
      throw new UsageError(
        `${flag} must be one of ${choices.join(", ")} (got ${JSON.stringify(text)})`,
      );
    }
    return found;
  };
}

/**
 * An S3 location: `s3://bucket/prefix`, `bucket`, or an S3 HTTPS URL.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { s3Value } from "./option_parsers.ts";
 * assert.deepStrictEqual(s3Value("s3://images/a/", "--source-bucket"), { bucket: "images", prefix: "a/" });
 * ```
 */
export const s3Value: ValueParser<S3Location> = (text, flag) => parseS3Location(text, flag);

/**
 * An arrival rate (`120/min`, `2/s`, `7200/h`) in jobs per second.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { rateValue } from "./option_parsers.ts";
 * assert.equal(rateValue("120/min", "--rate"), 2);
 * ```
 */
export const rateValue: ValueParser<number> = (text, flag) => parseRate(text, flag);

/**
 * One `--threshold` expression, checked for form and kept as written.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { thresholdValue } from "./option_parsers.ts";
 * assert.equal(thresholdValue("fail_ratio<0.01", "--threshold"), "fail_ratio<0.01");
 * assert.throws(() => thresholdValue("fail_ratio", "--threshold"), /comparator/);
 * ```
 */
export const thresholdValue: ValueParser<string> = (text, flag) => {
  const value = textValue(text, flag);
  parseThreshold(value);
  return value;
};

/**
 * A `HOST:PORT`-free host name or address for the web UI.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { hostValue } from "./option_parsers.ts";
 * assert.equal(hostValue("0.0.0.0", "--web-host"), "0.0.0.0");
 * ```
 */
export const hostValue: ValueParser<string> = (text, flag) => {
  const value = textValue(text, flag);
  if (/\s|\//.test(value)) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not a host name or address: e.g. ${flag} 127.0.0.1`,
    );
  }
  return value;
};
