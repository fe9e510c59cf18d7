/**
 * `osml-load capacity`: run the capacity search and report the sustainable
 * throughput in images, GB and gigapixels per hour.
 *
 * @example
 * Not run as a test: a capacity search sends load to a real deployment for many minutes.
 * ```ts ignore
 * import { capacityCommand } from "./capacity.ts";
 * Deno.exitCode = await capacityCommand({ startRate: "1/s" });
 * ```
 * @module
 */
import { join } from "node:path";
import { ExitCode } from "../exit_codes.ts";
import { resolveRun, type RunFlags } from "../config/run_settings.ts";
import { findConfigFile } from "../config/config_file.ts";
import { formatResolvedOptions } from "../config/format_options.ts";
import { runLoadTest } from "../engine/load_test.ts";
import { RunLog } from "../log/run_log.ts";
import type { CapacitySearch } from "../shapes/capacity_shape.ts";
import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import { formatCapacityReport } from "../shapes/capacity_report.ts";

/**
 * Run the capacity search; returns the exit code. Its defaults (20 users,
 * the start rate and steps) come from the option table; it is always
 * headless. `_sourceOf` is ignored: it was commander's value source, which
 * the option table now tracks itself (kept so earlier callers still work).
 * `env` is the environment the options and the AWS clients read (default the
 * process's).
 */
export async function capacityCommand(
  flags: RunFlags,
  _sourceOf?: (name: string) => string | undefined,
  write: (line: string) => void = (line) => console.log(line),
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Promise<number> {
  const { settings, options } = resolveRun(flags, env, {
    command: "capacity",
    config: findConfigFile(flags, env),
    fixed: { headless: true },
  });
  if (settings.dryRun) { for (const line of formatResolvedOptions(options)) write(line); }
  const log = new RunLog({
    verbose: settings.verbose,
    level: settings.logLevel,
    logFile: settings.logFile,
  });
  let result: Awaited<ReturnType<typeof runLoadTest>>;
  try {
    result = await runLoadTest(settings, { write, log });
  } finally {
    log.close();
  }
  if (result.reason === "dry-run") return ExitCode.Ok;
  if (!result.prepared) return result.exitCode;
  const search = result.prepared.shape as CapacitySearch;
  const report = { steps: search.steps(), result: search.result() };
  for (const line of formatCapacityReport(report.steps, report.result)) write(line);
  await writeTextFileAtomic(
    join(settings.logDir, "capacity.json"),
    JSON.stringify(report, null, 2) + "\n",
  );
  if (result.reason === "interrupted") return ExitCode.Interrupted;
  return report.result.rate > 0 ? result.exitCode : ExitCode.RunFailed;
}
