/**
 * How many user workers a run starts. A worker is an isolate with its own AWS
 * SDK (about 20 MB and a few hundred milliseconds of CPU to load), and one
 * worker sustains about 1,900 submissions per CPU-second, so workers are added
 * only when the load needs them: one per {@linkcode SENDS_PER_WORKER}
 * submissions a second expected at the peak (users over their mean wait, or
 * the open model's rate), up to `--max-workers` and never more than users.
 * Users that never wait (`--wait-max 0`) can use every worker.
 *
 * @example
 * ```ts
 * import { planWorkers } from "./worker_plan.ts";
 * const upstreamWaits = { waitMinS: 1, waitMaxS: 3, maxWorkers: 2 };
 * if (planWorkers({ ...upstreamWaits, peakUsers: 50 }) !== 1) throw new Error("50 users: one");
 * if (planWorkers({ ...upstreamWaits, peakUsers: 1000 }) !== 2) throw new Error("1000: two");
 * if (planWorkers({ waitMinS: 0, waitMaxS: 0, maxWorkers: 2, peakUsers: 64 }) !== 2) {
 *   throw new Error("no wait: every worker");
 * }
 * ```
 * @module
 */

/** Expected submissions a second that one worker is given before a second one starts. */
export const SENDS_PER_WORKER = 400;

/** What the plan depends on. */
export interface WorkerPlanInput {
  /** The most users the run holds at once. */
  peakUsers: number;
  /** The fire-and-forget users' wait between tasks, in seconds. */
  waitMinS: number;
  waitMaxS: number;
  /** The open model's highest arrival rate (jobs/s), if any. */
  peakRate?: number;
  /** `--max-workers`. */
  maxWorkers: number;
}

/** The number of user workers to start. */
export function planWorkers(input: WorkerPlanInput): number {
  const cap = Math.max(1, Math.min(input.maxWorkers, input.peakUsers));
  const meanWaitS = (input.waitMinS + input.waitMaxS) / 2;
  const closedRate = meanWaitS > 0 ? input.peakUsers / meanWaitS : Number.POSITIVE_INFINITY;
  const rate = input.peakRate !== undefined ? input.peakRate : closedRate;
  return Math.max(1, Math.min(cap, Math.ceil(rate / SENDS_PER_WORKER)));
}
