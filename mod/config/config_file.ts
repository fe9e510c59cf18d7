/**
 * The config file, in Locust's `locust.conf` format: `key = value` lines,
 * `#` comments, keys are the long flag names without dashes (`run-time`,
 * `spawn-rate`), switches take `true` or `false`, and a repeatable option
 * (`threshold`) is given on several lines or as a comma list. Values may be
 * quoted. Read from `--config FILE` (or `OSML_LOAD_CONFIG`), else from
 * `osml-load.conf` in the working folder when it exists, as Locust reads
 * `locust.conf`. Flags and the environment win over it.
 *
 * Every key and value is checked when the file is read: an unknown key or a
 * bad value is a one-line {@linkcode UsageError} naming the file and line.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseConfigText } from "./config_file.ts";
 * const file = parseConfigText("# a load test\nusers = 5\nrun-time = 90s\nheadless = true\n", "osml-load.conf");
 * assert.deepStrictEqual(file.values.users, { text: "5", line: 2 });
 * assert.throws(() => parseConfigText("user = 5", "osml-load.conf"), /osml-load.conf line 1: unknown key "user": did you mean "users"/);
 * ```
 * @module
 */
import { join } from "node:path";
import { UsageError } from "../usage_error.ts";
import { allOptions, type OptionKey } from "./options.ts";
import { configKeysOf, type OptionSpec } from "./option_spec.ts";
import { parseFromSource, splitList } from "./option_source.ts";

/** The file read when neither `--config` nor `OSML_LOAD_CONFIG` names one. */
export const DEFAULT_CONFIG_FILE = "osml-load.conf";

/** One option's value in a config file. */
export interface ConfigValue {
  /** The text (a list of items for a repeatable option). */
  text: string | string[];
  /** The (first) line it is on, from 1. */
  line: number;
}

/** A parsed, checked config file. */
export interface ConfigFile {
  /** The path as given (for messages). */
  path: string;
  /** The options it sets. */
  values: Partial<Record<OptionKey, ConfigValue>>;
}

/** Every config key, mapped to its option. */
function keyTable(): Map<string, [OptionKey, OptionSpec]> {
  const keys = new Map<string, [OptionKey, OptionSpec]>();
  for (const [key, spec] of allOptions()) {
    for (const name of configKeysOf(spec)) keys.set(name, [key, spec]);
  }
  return keys;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The known key closest to `key`, if one is close. */
function suggestion(key: string, known: Iterable<string>): string | undefined {
  const wanted = key.toLowerCase().replaceAll("_", "-").replace(/^-+/, "");
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = editDistance(wanted, name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(wanted.length / 4)) ? best : undefined;
}

function unquote(text: string): string {
  const m = /^(["'])(.*)\1$/s.exec(text);
  return m ? m[2]! : text;
}

/**
 * Parse and check a config file's text; `path` names it in messages.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseConfigText } from "./config_file.ts";
 * const file = parseConfigText('threshold = "fail_ratio<0.01"\nthreshold = rps>1, jobs_failed<=2\n', "x.conf");
 * assert.deepStrictEqual(file.values.threshold?.text, ["fail_ratio<0.01", "rps>1", "jobs_failed<=2"]);
 * ```
 */
export function parseConfigText(text: string, path: string): ConfigFile {
  const keys = keyTable();
  const values: Partial<Record<OptionKey, ConfigValue>> = {};
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) return;
    const at = `${path} line ${line}`;
    const eq = trimmed.indexOf("=");
    if (eq < 0) {
      throw new UsageError(
        `${at}: ${
          JSON.stringify(trimmed)
        } is not a "key = value" line: write e.g. users = 5, or start a comment with #`,
      );
    }
    const name = trimmed.slice(0, eq).trim();
    const value = unquote(trimmed.slice(eq + 1).trim());
    const entry = keys.get(name);
    if (!entry) {
      if (name === "config") {
        throw new UsageError(
          `${at}: a config file cannot name another config file: pass --config FILE on the command line`,
        );
      }
      const near = suggestion(name, keys.keys());
      throw new UsageError(
        `${at}: unknown key ${JSON.stringify(name)}: ${
          near ? `did you mean ${JSON.stringify(near)}? ` : ""
        }keys are the long flag names without dashes (see osml-load run --help)`,
      );
    }
    const [key, spec] = entry;
    if (value === "") {
      throw new UsageError(
        `${at}: ${name} has no value: give one (e.g. ${name} = ${
          spec.kind === "boolean" ? "true" : "…"
        }) or delete the line`,
      );
    }
    const source = { kind: "config", file: path, line } as const;
    parseFromSource(spec, value, source);
    const previous = values[key];
    if (spec.repeatable) {
      const items = Array.isArray(previous?.text) ? previous.text : [];
      values[key] = {
        text: [...items, ...splitList(value)],
        line: previous?.line ?? line,
      };
    } else if (previous) {
      throw new UsageError(
        `${at}: ${name} is set again (first on line ${previous.line}): keep one of the lines`,
      );
    } else {
      values[key] = { text: value, line };
    }
  });
  return { path, values };
}

/**
 * Read and check the config file at `path`; a missing or unreadable file is a
 * {@linkcode UsageError}.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { readConfigFile } from "./config_file.ts";
 * assert.throws(() => readConfigFile("/no/such/osml-load.conf"), /cannot read config file/);
 * ```
 */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new UsageError(
      `cannot read config file ${path} (${why}): check the path given to --config or OSML_LOAD_CONFIG`,
    );
  }
  return parseConfigText(text, path);
}

/**
 * The config file of a command line: `--config FILE`, else `OSML_LOAD_CONFIG`,
 * else `osml-load.conf` in `cwd` when it exists, else none.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { findConfigFile } from "./config_file.ts";
 * assert.equal(findConfigFile({}, {}, "/nonexistent-folder"), undefined);
 * ```
 */
export function findConfigFile(
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = Deno.cwd(),
): ConfigFile | undefined {
  const given = typeof flags.config === "string" && flags.config.trim() !== ""
    ? flags.config.trim()
    : env.OSML_LOAD_CONFIG?.trim() || undefined;
  if (given !== undefined) return readConfigFile(given);
  const path = join(cwd, DEFAULT_CONFIG_FILE);
  try {
    if (!Deno.statSync(path).isFile) return undefined;
  } catch {
    return undefined;
  }
  const file = readConfigFile(path);
  return { ...file, path: cwd === Deno.cwd() ? DEFAULT_CONFIG_FILE : path };
}
