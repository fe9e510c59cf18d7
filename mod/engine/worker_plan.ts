/**
 * How many user workers a run starts. A worker is an isolate with its own AWS
 * SDK (about 20 MB of code and a few hundred milliseconds of CPU to load, and a
 * young generation of its own: 100 MB more RSS at 1,000 users), and one worker
 * sustains about 1,900 submissions per CPU-second, so workers are added only
 * when the load needs them: one per {@linkcode SENDS_PER_WORKER}
 * submissions a second expected at the peak (users over their mean wait, or
 * the open model's rate), up to `--max-workers` and never more than users.
 * Users that never wait (`--wait-max 0`) can use every worker.
 *
 * @example
 * ```ts
 * import { planWorkers } from "./worker_plan.ts";
 * const upstreamWaits = { waitMinS: 1, waitMaxS: 3, maxWorkers: 2 };
 * if (planWorkers({ ...upstreamWaits, peakUsers: 50 }) !== 1) throw new Error("50 users: one");
 * if (planWorkers({ ...upstreamWaits, peakUsers: 1000 }) !== 1) throw new Error("1000: one");
 * if (planWorkers({ ...upstreamWaits, peakUsers: 2000 }) !== 2) throw new Error("2000: two");
 * if (planWorkers({ waitMinS: 0, waitMaxS: 0, maxWorkers: 2, peakUsers: 64 }) !== 2) {
 *   throw new Error("no wait: every worker");
 * }
 * ```
 * @module
 */

/**
 * Expected submissions a second that one worker is given before a second one starts. At 1,000
 * users with 1–3 s waits (500/s) one worker used 42 % of a core with send latencies no worse
 * than two workers', and the process 100 MB less memory (`scripts/bench_engine.ts`, 2026-11-30).
 */
export const SENDS_PER_WORKER = 800;

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
