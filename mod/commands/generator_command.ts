/**
 * The command line each generator of a distributed run runs (the ECS
 * container override's `command`): `run --headless`, every option the
 * distributed run was given (from a flag, the environment, a config file, or
 * the command itself) — the generators have none of the orchestrator's
 * environment or config file — and the defaults of its command that `run`
 * does not share (the demo's window), with its share of the load laid over them,
 * its outputs in `gen-<index>/` of the container's working folder, and
 * `--results-to`.
 *
 * Not passed on: the orchestrator's own options (`--generators`, the ECS
 * options, `--config`, `--dry-run`), its outputs (the merge writes them),
 * the web UI's, and `--threshold` (evaluated once, on the merged result).
 * Generators share the status queue, so unless the run chose otherwise (or a
 * generator is given its own status queue) each gets `--keep-foreign-status`:
 * none deletes the others' status messages.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveOptions } from "../config/resolve_options.ts";
 * import { generatorArgs } from "./generator_command.ts";
 * const options = resolveOptions({ command: "run", flags: { users: "4", runTime: "30s", generators: "2" }, env: {} });
 * const args = generatorArgs({
 *   options,
 *   share: { index: 1, users: 2, spawnRate: 0.5, shape: { name: "window" } },
 *   resultsTo: "s3://results/osml-load/",
 * });
 * assert.deepEqual(args, [
 *   "run", "--headless", "--users=2", "--spawn-rate=0.5", "--run-time=30s", "--keep-foreign-status",
 *   "--log-dir=gen-1", "--output=gen-1/osml-load", "--results-to=s3://results/osml-load/",
 * ]);
 * ```
 * @module
 */
import type { GeneratorShare } from "../engine/generator_plan.ts";
import { shareFlags } from "../engine/generator_plan.ts";
import { type OptionKey, OPTIONS, optionsOf } from "../config/options.ts";
import type { ResolvedOptions } from "../config/resolve_options.ts";
import { defaultOf } from "../config/option_spec.ts";

/** Options of the distributed run that its generators do not get. */
export const NOT_PASSED: ReadonlySet<string> = new Set<string>([
  // the orchestrator's own
  "config",
  "dryRun",
  "generators",
  "cluster",
  "taskDefinition",
  "subnets",
  "securityGroups",
  "assignPublicIp",
  "host",
  // outputs: each generator's are set below, the merge writes the run's
  "output",
  "html",
  "json",
  "junit",
  "logDir",
  "logfile",
  "resultsTo",
  "threshold",
  // the web UI (generators are headless)
  "headless",
  "webHost",
  "webPort",
  "webAuth",
  "autostart",
  "autoquit",
]);

/** What {@linkcode generatorArgs} needs. */
export interface GeneratorCommandInput {
  /** The distributed run's resolved options. */
  options: ResolvedOptions;
  /** This generator's share (`planGenerators`). */
  share: GeneratorShare;
  /** `--results-to` of the run, as an `s3://` URL. */
  resultsTo: string;
  /** Options for this generator only, by option key, as text (they win over the rest). */
  extra?: Readonly<Record<string, string>>;
}

const GIVEN = new Set(["flag", "env", "config", "command"]);

/**
 * The arguments after the program name (`run --headless …`) of one generator.
 * Values are passed as `--flag=value`, so a value that starts with `-` stays a value.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveOptions } from "../config/resolve_options.ts";
 * import { generatorArgs } from "./generator_command.ts";
 * const options = resolveOptions({ command: "run", flags: { html: "r.html", threshold: ["fail_ratio<0.1"] }, env: { OSML_LOAD_MODEL_NAME: "flood" } });
 * const args = generatorArgs({
 *   options, share: { index: 0, users: 1, spawnRate: 1, shape: { name: "window" } },
 *   resultsTo: "s3://r/", extra: { mrStatusQueue: "Status-0" },
 * });
 * assert.ok(args.includes("--model-name=flood"));
 * assert.ok(args.includes("--html=gen-0/report.html"));
 * assert.ok(args.includes("--mr-status-queue=Status-0"));
 * assert.ok(!args.some((a) => a.startsWith("--threshold") || a === "--keep-foreign-status"));
 * ```
 */
export function generatorArgs(input: GeneratorCommandInput): string[] {
  const { options, share } = input;
  const texts = new Map<OptionKey, string | string[]>();
  for (const [key, spec] of optionsOf("run")) {
    if (NOT_PASSED.has(key)) continue;
    // A default of the orchestrator's command that `run` does not share (the demo's 45 s window)
    // is passed on like a given value.
    const ownDefault = options.sources[key].kind === "default" && options.command !== "run" &&
      defaultOf(spec, options.command) !== defaultOf(spec, "run");
    if (!GIVEN.has(options.sources[key].kind) && !ownDefault) continue;
    const text = options.texts[key];
    if (text !== undefined) texts.set(key, text);
  }
  for (const [key, text] of Object.entries(shareFlags(share))) texts.set(key as OptionKey, text);
  for (const [key, text] of Object.entries(input.extra ?? {})) texts.set(key as OptionKey, text);
  const ownStatusQueue = input.extra?.mrStatusQueue !== undefined;
  if (!GIVEN.has(options.sources.keepForeignStatus.kind) && !ownStatusQueue) {
    texts.set("keepForeignStatus", "true");
  }

  const args = ["run", "--headless"];
  // In the table's order, which is the order of --help.
  for (const [key, spec] of optionsOf("run")) {
    const text = texts.get(key);
    if (text === undefined) continue;
    if (spec.kind === "boolean") {
      if (["true", "1", "yes"].includes(String(text).trim().toLowerCase())) args.push(spec.flag);
      continue;
    }
    for (const item of Array.isArray(text) ? text : [text]) args.push(`${spec.flag}=${item}`);
  }
  const dir = `gen-${share.index}`;
  args.push(`${OPTIONS.logDir.flag}=${dir}`, `${OPTIONS.output.flag}=${dir}/osml-load`);
  if (options.values.html !== undefined) args.push(`${OPTIONS.html.flag}=${dir}/report.html`);
  if (options.values.json !== undefined) args.push(`${OPTIONS.json.flag}=${dir}/stats.json`);
  args.push(`${OPTIONS.resultsTo.flag}=${input.resultsTo}`);
  return args;
}
