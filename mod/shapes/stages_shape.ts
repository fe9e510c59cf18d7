import type { LoadShape, PlanRow } from "./load_shape.ts";
import { type Stage, stagesDuration, valueAt } from "../config/stages.ts";

/**
 * k6-style stages: users ramp linearly from 0 through each stage's target,
 * e.g. `--stages "2m:10,5m:50,2m:0"`; the run ends after the last stage.
 * Users change as fast as the ramp asks (the spawn rate follows the slope).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { stagesShape } from "./stages_shape.ts";
 * const shape = stagesShape([{ durationS: 10, target: 10 }, { durationS: 10, target: 0 }]);
 * assert.deepEqual(shape.tick(5), { users: 5, spawnRate: 1 });
 * assert.equal(shape.tick(20), null);
 * ```
 */
export function stagesShape(stages: readonly Stage[]): LoadShape {
  const durationS = stagesDuration(stages);
  return {
    name: "stages",
    durationS,
    tick(elapsedS) {
      const value = valueAt(stages, 0, elapsedS);
      if (value === undefined) return null;
      // Spawn fast enough to follow the steepest ramp.
      return { users: Math.round(value), spawnRate: Math.max(1, maxSlope(stages)) };
    },
    plan() {
      const rows: PlanRow[] = [{ atS: 0, users: 0, note: "start" }];
      let at = 0;
      for (const stage of stages) {
        at += stage.durationS;
        rows.push({ atS: at, users: stage.target, note: `ramp over ${stage.durationS} s` });
      }
      rows.push({ atS: durationS, users: 0, note: "stages end: stop" });
      return rows;
    },
  };
}

function maxSlope(stages: readonly Stage[]): number {
  let from = 0;
  let slope = 0;
  for (const stage of stages) {
    if (stage.durationS > 0) {
      slope = Math.max(slope, Math.abs(stage.target - from) / stage.durationS);
    }
    from = stage.target;
  }
  return Math.ceil(slope);
}
