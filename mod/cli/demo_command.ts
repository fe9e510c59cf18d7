import type { Command } from "commander";
import { addRunOptions } from "./run_command.ts";

/**
 * Register `osml-load demo`: a real, short load test against the embedded
 * simulator, writing every output into one folder.
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { registerDemoCommand } from "./demo_command.ts";
 * registerDemoCommand(new Command("osml-load"));
 * ```
 */
export function registerDemoCommand(program: Command): void {
  const demo = program
    .command("demo")
    .description(
      "run a short load test against the embedded simulator and write every output into one folder",
    )
    .option("--out <dir>", "folder for every output", "demo-output")
    .option("--sim-workers <n>", "simulated Model Runner workers", "4")
    .option("--ms-per-megapixel <ms>", "simulated processing time per megapixel", "5")
    .addHelpText(
      "after",
      `
Defaults: 5 users, spawn rate 5/s, 45 s window, then wait for completion (about a minute in all).
Every \`run\` option works too, e.g.:
  osml-load demo --users 20 --run-time 2m --out /tmp/demo
The demo exits 0 when the tool worked, even though the simulator fails some jobs on purpose.`,
    );
  addRunOptions(demo).action(
    async (options: Record<string, string | boolean | string[] | undefined>, command: Command) => {
      const { demoCommand } = await import("../commands/demo.ts");
      Deno.exitCode = await demoCommand(options, (name) => command.getOptionValueSource(name));
    },
  );
}
