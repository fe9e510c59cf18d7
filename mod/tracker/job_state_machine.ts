/**
 * The job state machine: which status changes the tracker applies.
 *
 * ```
 * STARTED ──> IN_PROGRESS ──> SUCCESS | FAILED | PARTIAL   (terminal)
 *    └──────────────────────────┘
 * ```
 *
 * - A status moves a job forward only: STARTED → IN_PROGRESS → a terminal status (skipping
 *   IN_PROGRESS is fine). A terminal status is final for the attempt: nothing overwrites it,
 *   neither a late IN_PROGRESS (upstream let that happen to PARTIAL, and a finished job went
 *   back to running) nor another terminal status.
 * - A status the job already received in this attempt is a duplicate (SQS delivers at least
 *   once): it counts once.
 * - Every other change is refused and counted by reason.
 * - A waiting user's PARTIAL retry is a new attempt: its registration (a higher `attempt`)
 *   starts the job afresh; that is the only way back from a terminal status.
 *
 * @example
 * ```ts
 * import { decideTransition } from "./job_state_machine.ts";
 * const verdicts = [
 *   decideTransition("STARTED", "IN_PROGRESS", { seen: false, timedOut: false }),
 *   decideTransition("PARTIAL", "IN_PROGRESS", { seen: false, timedOut: false }),
 *   decideTransition("SUCCESS", "SUCCESS", { seen: true, timedOut: false }),
 * ];
 * if (verdicts.join() !== "apply,after-terminal,duplicate") throw new Error(verdicts.join());
 * ```
 * @module
 */
import { type JobStatusValue, TERMINAL_STATUSES } from "../model/job_record.ts";

/** Why a status change was refused. */
export type RefusalReason =
  /** IN_PROGRESS → STARTED: an older status that arrived late. */
  | "backward"
  /** A terminal status → STARTED or IN_PROGRESS. */
  | "after-terminal"
  /** A terminal status → another terminal status (the first one stands). */
  | "terminal-conflict"
  /** Any status for a job the completion wait already gave up on. */
  | "after-timeout";

/**
 * Every {@linkcode RefusalReason}, in a fixed order (for reports).
 *
 * @example
 * ```ts
 * import { REFUSAL_REASONS } from "./job_state_machine.ts";
 * if (REFUSAL_REASONS.length !== 4) throw new Error("a reason was added: update the reports");
 * ```
 */
export const REFUSAL_REASONS: readonly RefusalReason[] = Object.freeze([
  "backward",
  "after-terminal",
  "terminal-conflict",
  "after-timeout",
]);

/** What to do with one status event: apply it, count it as a duplicate, or refuse it. */
export type TransitionVerdict = "apply" | "duplicate" | RefusalReason;

const RANK: Record<JobStatusValue, number> = {
  STARTED: 0,
  IN_PROGRESS: 1,
  SUCCESS: 2,
  FAILED: 2,
  PARTIAL: 2,
};

/**
 * Decide what a status event does to a job whose current status is `current`. `seen` says
 * whether this attempt already received `next`; `timedOut` whether the completion wait gave
 * up on the job.
 *
 * @example
 * ```ts
 * import { decideTransition } from "./job_state_machine.ts";
 * const v = decideTransition("IN_PROGRESS", "STARTED", { seen: false, timedOut: false });
 * if (v !== "backward") throw new Error(v);
 * ```
 */
export function decideTransition(
  current: JobStatusValue,
  next: JobStatusValue,
  job: { seen: boolean; timedOut: boolean },
): TransitionVerdict {
  if (job.timedOut) return "after-timeout";
  if (job.seen) return "duplicate";
  if (TERMINAL_STATUSES.has(current)) {
    return TERMINAL_STATUSES.has(next) ? "terminal-conflict" : "after-terminal";
  }
  return RANK[next] < RANK[current] ? "backward" : "apply";
}
