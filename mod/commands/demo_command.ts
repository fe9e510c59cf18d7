import type { Command } from "commander";
import type { RunFlags } from "../config/run_settings.ts";
import { addTableOptions } from "./command_options.ts";

/**
 * Register `osml-load demo`: a real, short load test against the embedded
 * simulator, writing every output into one folder. Its options and their
 * demo defaults come from the option table.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Command } from "commander";
 * import { registerDemoCommand } from "./demo_command.ts";
 * const program = new Command("osml-load");
 * registerDemoCommand(program);
 * assert.match(program.commands[0]!.helpInformation(), /\(default: 45s\)/);
 * ```
 */
export function registerDemoCommand(program: Command): void {
  const demo = program
    .command("demo")
    .description(
      "run a short load test against the embedded simulator and write every output into one folder",
    )
    .addHelpText(
      "after",
      `
The demo is headless and waits for its jobs to finish (about a minute in all with the defaults);
it points the AWS settings at its own simulator, so it takes no buckets, region or queues.
  osml-load demo --users 20 --run-time 2m --out /tmp/demo
The demo exits 0 when the tool worked, even though the simulator fails some jobs on purpose.`,
    );
  addTableOptions(demo, "demo").action(async (options: RunFlags) => {
    const { demoCommand } = await import("./demo.ts");
    Deno.exitCode = await demoCommand(options);
  });
}
