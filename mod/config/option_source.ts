/**
 * Where an option's value came from, and parsing a value so that an error
 * names that place: the flag, the environment variable, or the config file
 * and line.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { OPTIONS } from "./options.ts";
 * import { formatSource, parseFromSource } from "./option_source.ts";
 * const source = { kind: "env", name: "OSML_LOAD_USERS" } as const;
 * assert.equal(parseFromSource(OPTIONS.users, "7", source), 7);
 * assert.throws(() => parseFromSource(OPTIONS.users, "x", source), /^UsageError: environment variable OSML_LOAD_USERS/);
 * assert.equal(formatSource(source), "env OSML_LOAD_USERS");
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import type { CommandName, OptionSpec } from "./option_spec.ts";

/** Where a resolved option's value came from. */
export type OptionSource =
  | { kind: "flag"; flag: string }
  | { kind: "env"; name: string }
  | { kind: "config"; file: string; line: number }
  | { kind: "command"; command: CommandName }
  | { kind: "default" }
  | { kind: "unset" };

/** Raw values as commander gives them: text, a switch's `true`, or a repeatable flag's list. */
export type RawValue = string | boolean | string[];

/**
 * How much a source weighs when two options decide one setting (the load
 * window from `--run-time` or `--processing-window-min`): the command's own
 * value, then flag, environment, config file, default.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { sourceRank } from "./option_source.ts";
 * assert.ok(sourceRank({ kind: "env", name: "X" }) > sourceRank({ kind: "default" }));
 * ```
 */
export function sourceRank(source: OptionSource): number {
  switch (source.kind) {
    case "command":
      return 5;
    case "flag":
      return 4;
    case "env":
      return 3;
    case "config":
      return 2;
    case "default":
      return 1;
    case "unset":
      return 0;
  }
}

/**
 * A source as `--dry-run` prints it.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatSource } from "./option_source.ts";
 * assert.equal(formatSource({ kind: "config", file: "osml-load.conf", line: 3 }), "config osml-load.conf:3");
 * ```
 */
export function formatSource(source: OptionSource): string {
  switch (source.kind) {
    case "flag":
      return `flag ${source.flag}`;
    case "env":
      return `env ${source.name}`;
    case "config":
      return `config ${source.file}:${source.line}`;
    case "command":
      return `set by ${source.command}`;
    case "default":
      return "default";
    case "unset":
      return "not set";
  }
}

/** The place a bad value came from, for the front of an error message. */
function errorPlace(source: OptionSource): string | undefined {
  switch (source.kind) {
    case "env":
      return `environment variable ${source.name}`;
    case "config":
      return `${source.file} line ${source.line}`;
    case "command":
      return `the ${source.command} command's own value`;
    case "default":
      return "the default";
    default:
      return undefined;
  }
}

/** The fix to suggest after an error, by source. */
function errorFix(source: OptionSource): string {
  switch (source.kind) {
    case "env":
      return " (fix the variable or unset it)";
    case "config":
      return " (fix the line or delete it)";
    default:
      return "";
  }
}

/**
 * Rethrow a {@linkcode UsageError} from `fn` with the value's place in front
 * (flags are named by the message already).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { UsageError } from "../usage_error.ts";
 * import { withSource } from "./option_source.ts";
 * assert.throws(
 *   () => withSource({ kind: "config", file: "a.conf", line: 2 }, () => { throw new UsageError("bad"); }),
 *   /a\.conf line 2: bad \(fix the line or delete it\)/,
 * );
 * ```
 */
export function withSource<T>(source: OptionSource, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const place = errorPlace(source);
    if (error instanceof UsageError && place !== undefined) {
      throw new UsageError(`${place}: ${error.message}${errorFix(source)}`, error.exitCode);
    }
    throw error;
  }
}

/** Split a list given as one text (environment, config file): commas separate items. */
export function splitList(text: string): string[] {
  return text.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/**
 * Parse a raw value of `spec` from `source`: each item of a repeatable
 * option, a switch's `true`, or text. Errors name the source.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { OPTIONS } from "./options.ts";
 * import { parseFromSource } from "./option_source.ts";
 * const flag = { kind: "flag", flag: "--threshold" } as const;
 * assert.deepStrictEqual(parseFromSource(OPTIONS.threshold, "fail_ratio<0.1, rps>1", flag), ["fail_ratio<0.1", "rps>1"]);
 * assert.equal(parseFromSource(OPTIONS.headless, true, { kind: "flag", flag: "--headless" }), true);
 * ```
 */
export function parseFromSource(spec: OptionSpec, raw: RawValue, source: OptionSource): unknown {
  return withSource(source, () => {
    if (spec.repeatable) {
      const items = Array.isArray(raw) ? raw.flatMap(splitList) : splitList(String(raw));
      return items.map((item) => spec.parse(item, spec.flag));
    }
    if (typeof raw === "boolean") {
      if (spec.kind === "boolean") return raw;
      throw new UsageError(`${spec.flag} needs a value, e.g. ${spec.flag} ${spec.arg ?? ""}`);
    }
    const text = Array.isArray(raw) ? raw[raw.length - 1] ?? "" : raw;
    return spec.parse(text, spec.flag);
  });
}
