/**
 * The open model's totals on the main thread: the workers' arrival deltas
 * added up, with the lateness percentiles and the achieved rate, reported
 * next to the target.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ArrivalStats } from "./arrival_stats.ts";
 * const stats = new ArrivalStats();
 * stats.apply({ scheduled: 10, sent: 9, late: 2, dropped: 1, lateness: [[3, 7], [120, 2]] });
 * assert.equal(stats.latenessPercentile(0.99), 120);
 * ```
 * @module
 */
import { percentileOf } from "../stats/response_times.ts";
import type { ArrivalDelta } from "./arrival_scheduler.ts";

/** Added-up open-model counts. */
export class ArrivalStats {
  scheduled = 0;
  sent = 0;
  late = 0;
  dropped = 0;
  #lateness = new Map<number, number>();
  /** Seconds the open model ran, and the integral of the target rate over them (jobs). */
  activeS = 0;
  targetJobs = 0;

  /** Add one worker delta. */
  apply(delta: ArrivalDelta): void {
    this.scheduled += delta.scheduled;
    this.sent += delta.sent;
    this.late += delta.late;
    this.dropped += delta.dropped;
    for (const [bucket, count] of delta.lateness) {
      this.#lateness.set(bucket, (this.#lateness.get(bucket) ?? 0) + count);
    }
  }

  /** Account `seconds` of running at `rate` jobs/s (for the target average). */
  advance(seconds: number, rate: number): void {
    this.activeS += seconds;
    this.targetJobs += seconds * rate;
  }

  /** Scheduling lateness percentile in ms (0 when nothing was sent). */
  latenessPercentile(p: number): number {
    return this.sent ? percentileOf(this.#lateness, this.sent, p) : 0;
  }

  /** Mean target rate (jobs/s) over the active time. */
  get targetRate(): number {
    return this.activeS ? this.targetJobs / this.activeS : 0;
  }

  /** Achieved submission rate (jobs/s) over the active time. */
  get achievedRate(): number {
    return this.activeS ? this.sent / this.activeS : 0;
  }

  /** True once any open-model work happened. */
  get active(): boolean {
    return this.activeS > 0;
  }

  /** One line for the console and the log. */
  describe(): string {
    return `Open model: target ${this.targetRate.toFixed(3)}/s, achieved ${
      this.achievedRate.toFixed(3)
    }/s over ${
      this.activeS.toFixed(0)
    } s; ${this.scheduled} scheduled, ${this.sent} sent, ${this.late} late (lateness p50 ${
      this.latenessPercentile(0.5)
    } ms, p99 ${this.latenessPercentile(0.99)} ms), ${this.dropped} dropped`;
  }

  /** Keys for `job_summary.json`. */
  summary(): Record<string, number> {
    return {
      open_model_target_rate: this.targetRate,
      open_model_achieved_rate: this.achievedRate,
      open_model_scheduled: this.scheduled,
      open_model_sent: this.sent,
      open_model_late: this.late,
      open_model_dropped: this.dropped,
      open_model_lateness_p50_ms: this.latenessPercentile(0.5),
      open_model_lateness_p99_ms: this.latenessPercentile(0.99),
    };
  }
}
