import type { LoadShape, PlanRow } from "./load_shape.ts";
import { type Stage, stagesDuration, valueAt } from "../config/stages.ts";
import { formatRate } from "../config/rate.ts";

/** Options of {@linkcode rateShape}. */
export interface RateOptions {
  /** Constant rate in jobs/s (used when there are no stages). */
  rate: number;
  /** Ramped rates in jobs/s; ramps start from `rate`... or 0 when `rate` is 0. */
  stages: readonly Stage[];
  /** Virtual users that carry the submissions. */
  users: number;
  /** Run length when there are no stages, seconds. */
  windowS: number;
}

/**
 * The open model: jobs are submitted on a clock at `rate` jobs/s (or a rate
 * ramped through `--rate-stages`), independent of how fast jobs finish. The
 * submissions are spread over the users; the workers count late and dropped
 * submissions when no user is free.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { rateShape } from "./rate_shape.ts";
 * const shape = rateShape({ rate: 2, stages: [], users: 10, windowS: 60 });
 * assert.deepEqual(shape.tick(1), { rate: 2, users: 10 });
 * ```
 */
export function rateShape(options: RateOptions): LoadShape {
  const staged = options.stages.length > 0;
  const durationS = staged ? stagesDuration(options.stages) : options.windowS;
  return {
    name: "rate",
    durationS,
    tick(elapsedS) {
      if (elapsedS >= durationS) return null;
      const rate = staged ? valueAt(options.stages, options.rate, elapsedS) ?? 0 : options.rate;
      return { rate, users: options.users };
    },
    plan() {
      const rows: PlanRow[] = [{
        atS: 0,
        users: options.users,
        rate: staged ? options.rate : options.rate,
        note: `open model, ${formatRate(options.rate)}`,
      }];
      let at = 0;
      for (const stage of options.stages) {
        at += stage.durationS;
        rows.push({ atS: at, users: options.users, rate: stage.target, note: "ramp" });
      }
      rows.push({ atS: durationS, users: 0, note: "end: stop" });
      return rows;
    },
  };
}
