/**
 * `osml-load capacity`: run the capacity search and report the sustainable
 * throughput in images, GB and gigapixels per hour.
 *
 * @example
 * ```ts ignore
 * import { capacityCommand } from "./capacity.ts";
 * Deno.exitCode = await capacityCommand({ startRate: "1/s" }, () => undefined);
 * ```
 * @module
 */
import { join } from "node:path";
import { ExitCode } from "../exit_codes.ts";
import { resolveRunSettings, type RunFlags } from "../config/run_settings.ts";
import { runLoadTest } from "../engine/load_test.ts";
import type { CapacitySearch } from "../shapes/capacity_shape.ts";
import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import { formatCapacityReport } from "../shapes/capacity_report.ts";

/** Run the capacity search; returns the exit code. */
export async function capacityCommand(
  flags: RunFlags,
  sourceOf: (name: string) => string | undefined,
  write: (line: string) => void = (line) => console.log(line),
): Promise<number> {
  const settings = resolveRunSettings({
    ...flags,
    shape: "capacity",
    headless: true,
    users: sourceOf("users") === "cli" ? flags.users : "20",
  }, Deno.env.toObject());
  const result = await runLoadTest(settings, { write });
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
