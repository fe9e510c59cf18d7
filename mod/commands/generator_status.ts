/**
 * What the ECS task of a generator says about it: a compact status line for
 * the whole set while they run, and once a task has stopped, whether the
 * generator finished or died (and why, in ECS's own words).
 *
 * A generator **finished** when its container exited with 0 (no failure
 * recorded), 1 (failures recorded, Locust's rule) or 3 (its thresholds
 * failed), or with 130 after this run asked ECS to stop it. Anything else —
 * another exit code, no exit code (the task failed to start, or the container
 * was killed), a stop someone else asked for — means it **died**, and the
 * distributed run's result is partial.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { generatorOutcome } from "./generator_status.ts";
 * const outcome = generatorOutcome(
 *   { lastStatus: "STOPPED", stopCode: "EssentialContainerExited",
 *     stoppedReason: "Essential container in task exited",
 *     containers: [{ name: "osml-load", exitCode: 137, reason: "Stopped by SIGKILL" }] },
 *   { container: "osml-load", stoppedByUs: false },
 * );
 * assert.equal(outcome.died, true);
 * assert.equal(outcome.exitCode, 137);
 * ```
 * @module
 */

/** The fields of an ECS task (DescribeTasks) this module reads. */
export interface TaskView {
  lastStatus?: string | undefined;
  stopCode?: string | undefined;
  stoppedReason?: string | undefined;
  containers?:
    | ReadonlyArray<{
      name?: string | undefined;
      exitCode?: number | undefined;
      reason?: string | undefined;
    }>
    | undefined;
}

/** How a stopped generator ended. */
export interface GeneratorOutcome {
  /** True unless the generator finished (see the module doc). */
  died: boolean;
  /** The container's exit code, or null when ECS has none (never started, killed). */
  exitCode: number | null;
  /** ECS's stop code, e.g. `EssentialContainerExited`, `UserInitiated`, `TaskFailedToStart`. */
  stopCode: string | null;
  /** One line: the stop code, ECS's reason, the container's reason and exit code. */
  reason: string;
}

/** Exit codes of a generator that ran to its end (0 ok, 1 failures recorded, 3 thresholds). */
const FINISHED_CODES = new Set([0, 1, 3]);
/** The exit code of a run stopped by SIGTERM (after writing and uploading its outputs). */
const INTERRUPTED_CODE = 130;

/**
 * How a stopped task's generator ended. `stoppedByUs`: this run asked ECS to
 * stop it (Ctrl-C, or past the run's deadline).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { generatorOutcome } from "./generator_status.ts";
 * const stopped = { lastStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: "Ctrl-C",
 *   containers: [{ name: "osml-load", exitCode: 130 }] };
 * assert.equal(generatorOutcome(stopped, { container: "osml-load", stoppedByUs: true }).died, false);
 * assert.equal(generatorOutcome(stopped, { container: "osml-load", stoppedByUs: false }).died, true);
 * ```
 */
export function generatorOutcome(
  task: TaskView,
  context: { container: string; stoppedByUs: boolean },
): GeneratorOutcome {
  const containers = task.containers ?? [];
  const container = containers.find((c) => c.name === context.container) ?? containers[0];
  const exitCode = typeof container?.exitCode === "number" ? container.exitCode : null;
  const stopCode = task.stopCode ?? null;
  const parts = [stopCode ?? "no stop code"];
  if (task.stoppedReason) parts.push(task.stoppedReason);
  if (container?.reason && container.reason !== task.stoppedReason) parts.push(container.reason);
  parts.push(exitCode === null ? "no exit code" : `exit ${exitCode}`);
  const finished = exitCode !== null &&
    (FINISHED_CODES.has(exitCode) || (exitCode === INTERRUPTED_CODE && context.stoppedByUs)) &&
    (stopCode !== "UserInitiated" || context.stoppedByUs);
  return { died: !finished, exitCode, stopCode, reason: parts.join(": ") };
}

/**
 * The compact status line of a set of generators: elapsed time, how many run,
 * then each one's ECS status (`PROVISIONING`, `PENDING`, `RUNNING`, `STOPPING`,
 * `STOPPED`), grouped.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { generatorsLine } from "./generator_status.ts";
 * assert.equal(
 *   generatorsLine(["RUNNING", "RUNNING", "PENDING"], 75),
 *   "generators 01:15  2/3 running  [0-1 RUNNING, 2 PENDING]",
 * );
 * ```
 */
export function generatorsLine(statuses: readonly string[], elapsedS: number): string {
  const mm = String(Math.floor(elapsedS / 60)).padStart(2, "0");
  const ss = String(Math.floor(elapsedS % 60)).padStart(2, "0");
  const running = statuses.filter((s) => s === "RUNNING").length;
  const groups: string[] = [];
  let start = 0;
  for (let i = 1; i <= statuses.length; i++) {
    if (i < statuses.length && statuses[i] === statuses[start]) continue;
    const range = i - 1 === start ? `${start}` : `${start}-${i - 1}`;
    groups.push(`${range} ${statuses[start]}`);
    start = i;
  }
  return `generators ${mm}:${ss}  ${running}/${statuses.length} running  [${groups.join(", ")}]`;
}
