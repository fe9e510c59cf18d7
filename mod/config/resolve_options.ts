/**
 * Resolve every option of a command from its four layers, and remember
 * where each value came from: the command's own value (e.g. the demo is
 * always headless), then flag > environment (`OSML_LOAD_<FLAG>`, then
 * upstream's names) > config file > default. Options the command does not
 * offer take their default and ignore the other layers.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveOptions } from "./resolve_options.ts";
 * const resolved = resolveOptions({
 *   command: "run",
 *   flags: { users: "5" },
 *   env: { OSML_LOAD_SPAWN_RATE: "2", OSML_LOAD_USERS: "9" },
 * });
 * assert.equal(resolved.values.users, 5);
 * assert.deepStrictEqual(resolved.sources.users, { kind: "flag", flag: "--users" });
 * assert.equal(resolved.values.spawnRate, 2);
 * assert.equal(resolved.values.completionTimeout, 1800);
 * ```
 * @module
 */
import type { ConfigFile } from "./config_file.ts";
import { allOptions, type OptionKey, type OptionValues } from "./options.ts";
import {
  type CommandName,
  defaultOf,
  type DerivedDefault,
  envNamesOf,
  keyOfFlag,
  longNamesOf,
  type OptionSpec,
} from "./option_spec.ts";
import { type OptionSource, parseFromSource, type RawValue } from "./option_source.ts";

/** Raw values by option key, as commander gives them (unknown keys are ignored). */
export type RawFlags = Readonly<Record<string, RawValue | undefined>>;

/** What {@linkcode resolveOptions} reads. */
export interface ResolveInput {
  /** The command whose options and defaults apply. */
  command: CommandName;
  /** Values from the command line (or the web form), by option key. */
  flags: RawFlags;
  /** The environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** The config file, when one was read. */
  config?: ConfigFile | undefined;
  /** Values the command sets itself; they win over everything. */
  fixed?: RawFlags;
}

/** Every option's typed value, its source, and its text as given (or the default's). */
export interface ResolvedOptions {
  /** The command resolved for. */
  command: CommandName;
  /** The typed values. */
  values: OptionValues;
  /** Where each value came from. */
  sources: Record<OptionKey, OptionSource>;
  /** Each value as text (a list for repeatable options), undefined when unset. */
  texts: Record<OptionKey, string | string[] | undefined>;
  /** The config file that was read, if any. */
  configPath: string | undefined;
}

/**
 * True when a layer gives a value: empty text and empty lists do not (a
 * cleared form field falls back); an explicit `false` does (a form's
 * unticked box wins over the environment). Commander itself never gives
 * `false`: the table has no `--no-` flags.
 */
function given(value: RawValue | undefined): value is RawValue {
  if (value === undefined) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function asText(value: RawValue): string | string[] {
  return typeof value === "boolean" ? String(value) : value;
}

/**
 * Resolve the options of `input.command`. Throws a `UsageError` naming the
 * flag, variable or config line of the first bad value.
 */
export function resolveOptions(input: ResolveInput): ResolvedOptions {
  const values: Record<string, unknown> = {};
  const sources = {} as Record<OptionKey, OptionSource>;
  const texts = {} as Record<OptionKey, string | string[] | undefined>;
  const derived: Array<[OptionKey, OptionSpec, DerivedDefault]> = [];
  const set = (key: OptionKey, spec: OptionSpec, raw: RawValue, source: OptionSource) => {
    values[key] = parseFromSource(spec, raw, source);
    sources[key] = source;
    texts[key] = asText(raw);
  };
  for (const [key, spec] of allOptions()) {
    const offered = spec.commands.includes(input.command);
    const fixed = input.fixed?.[key];
    if (given(fixed)) {
      set(key, spec, fixed, { kind: "command", command: input.command });
      continue;
    }
    if (offered && resolveGiven(key, spec, input, set)) continue;
    const fallback = defaultOf(spec, input.command);
    if (typeof fallback === "string") {
      set(key, spec, fallback, { kind: "default" });
    } else if (fallback !== undefined) {
      derived.push([key, spec, fallback]);
    } else {
      values[key] = spec.repeatable ? [] : undefined;
      sources[key] = { kind: "unset" };
      texts[key] = undefined;
    }
  }
  for (const [key, spec, fallback] of derived) {
    const text = fallback.derive(values);
    if (text !== undefined) {
      set(key, spec, text, { kind: "default" });
    } else {
      values[key] = spec.repeatable ? [] : undefined;
      sources[key] = { kind: "unset" };
      texts[key] = undefined;
    }
  }
  return {
    command: input.command,
    values: values as OptionValues,
    sources,
    texts,
    configPath: input.config?.path,
  };
}

/** Set `key` from the flag, environment or config file; false when none has it. */
function resolveGiven(
  key: OptionKey,
  spec: OptionSpec,
  input: ResolveInput,
  set: (key: OptionKey, spec: OptionSpec, raw: RawValue, source: OptionSource) => void,
): boolean {
  // Commander files `--csv` under `output`; other callers may use Locust's name as the key.
  const flag = [key, ...longNamesOf(spec).slice(1).map(keyOfFlag)]
    .map((name) => input.flags[name])
    .find(given);
  if (flag !== undefined) {
    set(key, spec, flag, { kind: "flag", flag: spec.flag });
    return true;
  }
  for (const name of envNamesOf(spec)) {
    const value = input.env[name];
    if (value !== undefined && value.trim() !== "") {
      set(key, spec, value, { kind: "env", name });
      return true;
    }
  }
  const entry = input.config?.values[key];
  if (entry && input.config) {
    set(key, spec, entry.text, { kind: "config", file: input.config.path, line: entry.line });
    return true;
  }
  return false;
}

/**
 * The flags that reproduce `resolved` when resolved again with no
 * environment and no config file: every value that came from a flag, the
 * environment or the config file. The web UI resolves each run's settings
 * from these with the form's values laid over them.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveOptions, frozenFlags } from "./resolve_options.ts";
 * const resolved = resolveOptions({ command: "run", flags: {}, env: { OSML_LOAD_USERS: "4" } });
 * assert.deepStrictEqual(frozenFlags(resolved), { users: "4" });
 * ```
 */
export function frozenFlags(resolved: ResolvedOptions): Record<string, string | string[]> {
  const flags: Record<string, string | string[]> = {};
  for (const [key] of allOptions()) {
    const kind = resolved.sources[key].kind;
    const text = resolved.texts[key];
    if ((kind === "flag" || kind === "env" || kind === "config") && text !== undefined) {
      flags[key] = text;
    }
  }
  return flags;
}
