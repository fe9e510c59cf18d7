import type { LoadShape, PlanRow } from "./load_shape.ts";

/** Options of {@linkcode burstShape} (the newer upstream suite's `PeriodicBurstLoadShape`). */
export interface BurstOptions {
  periodS: number;
  min: number;
  peak: number;
  stdS: number;
  meanS: number;
  /** Run length in seconds. */
  windowS: number;
}

/**
 * Periodic bursts: users = (peak − min)·e^(−π z²) + min with
 * z = ((t mod period) − mean) / std; the spawn rate equals the user count,
 * as upstream's shape sets it.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { burstShape, burstUsers } from "./burst_shape.ts";
 * const o = { periodS: 600, min: 5, peak: 40, stdS: 60, meanS: 300, windowS: 1200 };
 * assert.equal(burstUsers(o, 300), 40); // the peak
 * assert.deepEqual(burstShape(o).tick(0), { users: 5, spawnRate: 5 });
 * ```
 */
export function burstShape(options: BurstOptions): LoadShape {
  return {
    name: "burst",
    durationS: options.windowS,
    tick(elapsedS) {
      if (elapsedS >= options.windowS) return null;
      const users = burstUsers(options, elapsedS);
      return { users, spawnRate: Math.max(1, users) };
    },
    plan() {
      const rows: PlanRow[] = [];
      const step = Math.max(1, Math.round(options.periodS / 12));
      for (let t = 0; t < Math.min(options.windowS, options.periodS + 1); t += step) {
        rows.push({ atS: t, users: burstUsers(options, t) });
      }
      rows.push({ atS: options.windowS, users: 0, note: "window ends: stop" });
      return rows;
    },
  };
}

/** The burst shape's user count at `t` seconds (rounded). */
export function burstUsers(options: BurstOptions, t: number): number {
  const z = ((t % options.periodS) - options.meanS) / options.stdS;
  return Math.round((options.peak - options.min) * Math.exp(-Math.PI * z * z) + options.min);
}
