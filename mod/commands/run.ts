/**
 * `osml-load run`: resolve the settings (flags, environment, config file,
 * defaults), run the load test, return the exit code. Without `--headless`
 * (and without `--dry-run`) it serves the web UI instead and the user runs
 * tests from the browser. With `--generators N` the load runs on N ECS tasks
 * (`distribute.ts`) and their results are merged here.
 *
 * @example
 * Not run as a test: a load test against the deployment the environment names, for minutes.
 * ```ts ignore
 * import { runCommand } from "./run.ts";
 * Deno.exitCode = await runCommand({ headless: true, sourceBucket: "s3://images", resultBucket: "s3://results" });
 * ```
 * @module
 */
import { findConfigFile } from "../config/config_file.ts";
import { formatResolvedOptions } from "../config/format_options.ts";
import { frozenFlags } from "../config/resolve_options.ts";
import { resolveRun, type RunFlags } from "../config/run_settings.ts";
import { runLoadTest } from "../engine/load_test.ts";
import { RunLog } from "../log/run_log.ts";
import { ExitCode } from "../exit_codes.ts";
import { formatOutputsList } from "../output/outputs_list.ts";
import { consoleWidth } from "../output/console_tables.ts";

/** Where {@linkcode runCommand} reads its environment and prints (for tests). */
export interface RunCommandOptions {
  /** The environment (default: the process's). */
  env?: Record<string, string | undefined>;
  /** The working folder, where `osml-load.conf` is looked for (default: the process's). */
  cwd?: string;
  /** Where plain lines go (default `console.log`). */
  write?: (line: string) => void;
}

/** Run the `run` command with commander's parsed options; returns the exit code. */
export async function runCommand(flags: RunFlags, io: RunCommandOptions = {}): Promise<number> {
  const env = io.env ?? Deno.env.toObject();
  const write = io.write ?? ((line: string) => console.log(line));
  const config = findConfigFile(flags, env, io.cwd);
  const { settings, options } = resolveRun(flags, env, { command: "run", config });
  if (options.values.generators !== undefined) {
    // The load runs on ECS tasks; this process starts, follows and merges them.
    const { distributeRun } = await import("./distribute.ts");
    return await distributeRun({ settings, options, write, env });
  }
  if (!settings.headless && !settings.dryRun) {
    const { webRunCommand } = await import("./web_run.ts");
    // The web UI resolves each run again from these, with the form's values over them.
    return await webRunCommand(frozenFlags(options), { env });
  }
  if (settings.dryRun) { for (const line of formatResolvedOptions(options)) write(line); }
  const log = new RunLog({
    verbose: settings.verbose,
    level: settings.logLevel,
    logFile: settings.logFile,
  });
  try {
    const result = await runLoadTest(settings, {
      log,
      write,
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
  } finally {
    log.close();
  }
}
