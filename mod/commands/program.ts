import { Command } from "commander";
import denoJson from "../../deno.json" with { type: "json" };
import { registerCapacityCommand } from "./capacity_command.ts";
import { registerCleanupCommand } from "./cleanup_command.ts";
import { registerCostCommand } from "./cost_command.ts";
import { registerDemoCommand } from "./demo_command.ts";
import { registerMergeCommand } from "./merge_command.ts";
import { registerRunCommand } from "./run_command.ts";
import { registerSimCommand } from "./sim_command.ts";

/**
 * Build the `osml-load` command line: the program, its version, and every
 * registered subcommand. Each subcommand lives in its own `*_command.ts` file
 * in this folder and imports its implementation only when it runs.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { buildProgram } from "./program.ts";
 * const program = buildProgram();
 * assert.deepEqual(
 *   program.commands.map((c) => c.name()),
 *   ["capacity", "cleanup", "cost", "demo", "merge", "run", "sim"],
 * );
 * assert.ok(program.helpInformation().startsWith("Usage: osml-load [options] [command]\n"));
 * ```
 */
export function buildProgram(): Command {
  const program = new Command("osml-load")
    .description(
      "Load tester for OSML Model Runner: submits image jobs to its request queue,\n" +
        "follows their status, and reports capacity, latency, failures and cost.",
    )
    .version(denoJson.version, "-V, --version", "print the version")
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true });
  for (const register of REGISTRARS) register(program);
  return program;
}

/** A function that adds one subcommand to the program. */
export type CommandRegistrar = (program: Command) => void;

// One line per working command; keep the list sorted by command name.
const REGISTRARS: CommandRegistrar[] = [
  registerCapacityCommand,
  registerCleanupCommand,
  registerCostCommand,
  registerDemoCommand,
  registerMergeCommand,
  registerRunCommand,
  registerSimCommand,
];
