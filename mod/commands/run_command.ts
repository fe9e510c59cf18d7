import type { Command } from "commander";
import type { RunFlags } from "../config/run_settings.ts";
import { addTableOptions } from "./command_options.ts";

/**
 * Register `osml-load run`: a load test against a deployed Model Runner.
 * Its options come from the option table (`mod/config/options.ts`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Command } from "commander";
 * import { registerRunCommand } from "./run_command.ts";
 * const program = new Command("osml-load");
 * registerRunCommand(program);
 * assert.match(program.commands[0]!.helpInformation(), /--source-bucket/);
 * ```
 */
export function registerRunCommand(program: Command): void {
  const run = program
    .command("run")
    .description(
      "run a load test against a deployed Model Runner (configured from its ECS task definition)",
    )
    .addHelpText(
      "after",
      `
Examples:
  osml-load run --headless --source-bucket s3://my-images --result-bucket s3://my-results \\
    --model-name centerpoint --users 5 --spawn-rate 1 --processing-window-min 10
  osml-load run --headless --run-time 90s --users 20 --output out/run --html out/report.html
  osml-load run -u 5 -r 1 -t 30s --headless --csv out/x --html out/r.html -L DEBUG
  osml-load run --dry-run --source-bucket s3://my-images --result-bucket s3://my-results

Exit codes: 0 ok, 1 failures recorded, 2 usage or configuration error, 3 thresholds failed, 4 the tool failed, 130 interrupted.`,
    );
  addTableOptions(run, "run").action(async (options: RunFlags) => {
    const { runCommand } = await import("./run.ts");
    Deno.exitCode = await runCommand(options);
  });
}
