/**
 * `osml-load run`: resolve the settings, run the load test, return the exit
 * code. Without `--headless` (and without `--dry-run`) it serves the web UI
 * instead and the user runs tests from the browser.
 *
 * @example
 * ```ts ignore
 * import { runCommand } from "./run.ts";
 * Deno.exitCode = await runCommand({ headless: true, sourceBucket: "s3://images", resultBucket: "s3://results" });
 * ```
 * @module
 */
import { resolveRunSettings, type RunFlags } from "../config/run_settings.ts";
import { runLoadTest } from "../engine/load_test.ts";
import { ExitCode } from "../exit_codes.ts";
import { formatOutputsList } from "../output/outputs_list.ts";
import { consoleWidth } from "../output/console_tables.ts";

/** Run the `run` command with commander's parsed options; returns the exit code. */
export async function runCommand(flags: RunFlags): Promise<number> {
  const settings = resolveRunSettings(flags, Deno.env.toObject());
  if (!settings.headless && !settings.dryRun) {
    const { webRunCommand } = await import("./web_run.ts");
    return await webRunCommand(flags);
  }
  const result = await runLoadTest(settings, {
    onStopOverrun: () => {
      console.error(
        `error: the run did not wind down within --stop-timeout ${settings.stopTimeoutS} s: exiting with what was written`,
      );
      Deno.exit(ExitCode.Interrupted);
    },
  });
  if (result.reason !== "dry-run" && result.files.length) {
    const kinds: Record<string, string> = {};
    if (settings.jsonPath) kinds[settings.jsonPath] = "statistics (JSON)";
    for (const line of formatOutputsList(result.files, { width: consoleWidth(), kinds })) {
      console.error(line);
    }
  }
  return result.exitCode;
}
