/**
 * The shape of one entry of the option table ({@linkcode OPTIONS} in
 * `options.ts`) and the names derived from it: the `OSML_LOAD_<FLAG>`
 * variable and the config-file key.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { configKeyOf, envNameOf } from "./option_spec.ts";
 * assert.equal(envNameOf("--run-time"), "OSML_LOAD_RUN_TIME");
 * assert.equal(configKeyOf("--run-time"), "run-time");
 * ```
 * @module
 */
import type { ValueParser } from "./option_parsers.ts";

/** The commands whose options come from the table. */
export type CommandName = "run" | "demo" | "capacity";

/** Every {@linkcode CommandName}, in help order. */
export const COMMAND_NAMES: readonly CommandName[] = ["run", "demo", "capacity"];

/** What kind of value an option takes (drives the web form's input type). */
export type ValueKind =
  | "text"
  | "integer"
  | "number"
  | "duration"
  | "rate"
  | "boolean"
  | "choice"
  | "s3"
  | "path";

/** The heading an option is listed under in `--help`. */
export type HelpGroup =
  | "Load"
  | "Load shape"
  | "Capacity search"
  | "Demo"
  | "Deployment (AWS)"
  | "Outputs"
  | "Web UI"
  | "Logging"
  | "Run control"
  | "Generators (ECS)"
  | "Configuration";

/**
 * A default that depends on other resolved values (e.g. the demo's `--html`
 * is `<out>/report.html`) or on the machine (`--max-workers`). It returns the
 * default as text, parsed like any other value; `help` says what it is.
 */
export interface DerivedDefault {
  readonly derive: (values: Readonly<Record<string, unknown>>) => string | undefined;
  readonly help: string;
}

/** A default: text parsed like a typed value, or derived. */
export type DefaultSpec = string | DerivedDefault;

/** What the web UI's start form shows for an option. */
export interface WebFieldSpec {
  /** The field's label. */
  readonly label: string;
  /** The form's default when it differs from the option's (e.g. a window of `1m`). */
  readonly default?: string;
}

/** One option of the table. */
export interface OptionSpec<T = unknown> {
  /** The long flag, e.g. `--run-time`; its camel case is the settings key. */
  readonly flag: `--${string}`;
  /** A one-letter flag (`-t`) or Locust's long name for the same option (`--csv`). */
  readonly alias?: `-${string}`;
  /** The value's placeholder in help, e.g. `<duration>`; absent for a switch. */
  readonly arg?: `<${string}>`;
  /** The kind of value (for the web form). */
  readonly kind: ValueKind;
  /** Parses one value (each item, for a repeatable option). */
  readonly parse: ValueParser<T>;
  /** Given several times, or as a comma list in the environment and config file. */
  readonly repeatable?: true;
  /** Allowed values, for help and the web form. */
  readonly choices?: readonly string[];
  /** The default of every command that has no entry in {@linkcode commandDefaults}. */
  readonly default?: DefaultSpec;
  /** Per-command defaults, e.g. `demo` runs 5 users. */
  readonly commandDefaults?: Partial<Record<CommandName, DefaultSpec>>;
  /** What an absent value means, when there is no default (e.g. "from the task definition"). */
  readonly unsetHelp?: string;
  /** The commands that offer the option. */
  readonly commands: readonly CommandName[];
  /** One line of help (without default and environment, which are added). */
  readonly help: string;
  /** Where `--help` lists it. */
  readonly group: HelpGroup;
  /** Upstream's environment variables, read after `OSML_LOAD_<FLAG>`, in this order. */
  readonly env?: readonly string[];
  /**
   * Upstream's environment variables that are read later, by discovery, in
   * their own place of the order (e.g. `ACCOUNT` after the task definition).
   */
  readonly discoveryEnv?: readonly string[];
  /** False for `--config` itself: it is not a config-file key. */
  readonly configKey?: false;
  /** Accepted for compatibility and ignored (shown in help as such). */
  readonly ignored?: true;
  /** Holds a password: printouts show it masked. */
  readonly secret?: true;
  /** Shown in the web UI's start form. */
  readonly web?: WebFieldSpec;
}

/**
 * The `OSML_LOAD_<FLAG>` variable of a long flag.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { envNameOf } from "./option_spec.ts";
 * assert.equal(envNameOf("--web-host"), "OSML_LOAD_WEB_HOST");
 * ```
 */
export function envNameOf(flag: string): string {
  return `OSML_LOAD_${flag.replace(/^-+/, "").toUpperCase().replaceAll("-", "_")}`;
}

/**
 * The config-file key of a long flag: the flag without its dashes, as in
 * Locust's `locust.conf`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { configKeyOf } from "./option_spec.ts";
 * assert.equal(configKeyOf("--spawn-rate"), "spawn-rate");
 * ```
 */
export function configKeyOf(flag: string): string {
  return flag.replace(/^-+/, "");
}

/**
 * The camel-case key commander gives a long flag (and the option table uses).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { keyOfFlag } from "./option_spec.ts";
 * assert.equal(keyOfFlag("--mr-input-queue"), "mrInputQueue");
 * ```
 */
export function keyOfFlag(flag: string): string {
  return flag.replace(/^-+/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The long names an option answers to: its flag, and Locust's name when the
 * alias is a long flag (`--csv` for `--output`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { booleanValue } from "./option_parsers.ts";
 * import { longNamesOf } from "./option_spec.ts";
 * const spec = { flag: "--output", alias: "--csv", kind: "path", parse: booleanValue, commands: [], help: "", group: "Outputs" } as const;
 * assert.deepStrictEqual(longNamesOf(spec), ["--output", "--csv"]);
 * ```
 */
export function longNamesOf(spec: OptionSpec): string[] {
  return spec.alias?.startsWith("--") ? [spec.flag, spec.alias] : [spec.flag];
}

/**
 * Every environment variable an option is read from at resolution, in order:
 * `OSML_LOAD_<FLAG>` (and Locust's name's), then upstream's names.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { OPTIONS } from "./options.ts";
 * import { envNamesOf } from "./option_spec.ts";
 * assert.deepStrictEqual(envNamesOf(OPTIONS.sourceBucket), [
 *   "OSML_LOAD_SOURCE_BUCKET", "S3_LOAD_TEST_SOURCE_IMAGE_BUCKET", "S3_SOURCE_IMAGE_BUCKET",
 * ]);
 * ```
 */
export function envNamesOf(spec: OptionSpec): string[] {
  const names = longNamesOf(spec).map(envNameOf);
  for (const name of spec.env ?? []) if (!names.includes(name)) names.push(name);
  return names;
}

/**
 * The config-file keys of an option (none for `--config`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { OPTIONS } from "./options.ts";
 * import { configKeysOf } from "./option_spec.ts";
 * assert.deepStrictEqual(configKeysOf(OPTIONS.output), ["output", "csv"]);
 * ```
 */
export function configKeysOf(spec: OptionSpec): string[] {
  return spec.configKey === false ? [] : longNamesOf(spec).map(configKeyOf);
}

/**
 * The default an option has in `command` (per-command entry, else the base).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { OPTIONS } from "./options.ts";
 * import { defaultOf } from "./option_spec.ts";
 * assert.equal(defaultOf(OPTIONS.users, "demo"), "5");
 * assert.equal(defaultOf(OPTIONS.users, "run"), "1");
 * ```
 */
export function defaultOf(spec: OptionSpec, command: CommandName): DefaultSpec | undefined {
  return spec.commandDefaults?.[command] ?? spec.default;
}

/**
 * A default as help shows it.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { OPTIONS } from "./options.ts";
 * import { defaultHelpOf } from "./option_spec.ts";
 * assert.equal(defaultHelpOf(OPTIONS.runTime, "demo"), "45s");
 * ```
 */
export function defaultHelpOf(spec: OptionSpec, command: CommandName): string | undefined {
  const value = defaultOf(spec, command);
  if (value === undefined) return spec.unsetHelp;
  return typeof value === "string" ? value : value.help;
}
