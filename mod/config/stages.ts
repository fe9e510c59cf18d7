import { UsageError } from "../usage_error.ts";
import { parseDuration } from "./duration.ts";

/** One stage: reach `target` at the end of `durationS`, linearly from the previous target. */
export interface Stage {
  durationS: number;
  target: number;
}

/**
 * Parse k6-style stages, `DURATION:TARGET` separated by commas, e.g.
 * `2m:10,5m:50,2m:0`. `parseTarget` parses each target (users or a rate).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseStages } from "./stages.ts";
 * assert.deepEqual(parseStages("2m:10,5m:50", "--stages", Number), [{durationS:120,target:10},{durationS:300,target:50}]);
 * ```
 */
export function parseStages(
  text: string,
  flag: string,
  parseTarget: (text: string) => number,
): Stage[] {
  const stages = text.split(",").map((part) => part.trim()).filter(Boolean).map((part) => {
    const colon = part.indexOf(":");
    if (colon < 0) {
      throw new UsageError(
        `${flag} stage ${
          JSON.stringify(part)
        } needs DURATION:TARGET, e.g. ${flag} "2m:10,5m:50,2m:0"`,
      );
    }
    const durationS = parseDuration(part.slice(0, colon), flag);
    const target = parseTarget(part.slice(colon + 1));
    if (!Number.isFinite(target) || target < 0) {
      throw new UsageError(`${flag} stage ${JSON.stringify(part)} has a bad target`);
    }
    return { durationS, target };
  });
  if (stages.length === 0) {
    throw new UsageError(`${flag} is empty: e.g. ${flag} "2m:10,5m:50,2m:0"`);
  }
  return stages;
}

/**
 * The value at `t` seconds of a piecewise-linear ramp through `stages`,
 * starting from `start`; undefined once every stage is over.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { valueAt } from "./stages.ts";
 * assert.equal(valueAt([{ durationS: 10, target: 10 }], 0, 5), 5);
 * ```
 */
export function valueAt(stages: readonly Stage[], start: number, t: number): number | undefined {
  let from = start;
  let at = 0;
  for (const stage of stages) {
    if (t < at + stage.durationS) {
      const fraction = stage.durationS === 0 ? 1 : (t - at) / stage.durationS;
      return from + (stage.target - from) * fraction;
    }
    at += stage.durationS;
    from = stage.target;
  }
  return undefined;
}

/** Total length of the stages in seconds. */
export function stagesDuration(stages: readonly Stage[]): number {
  return stages.reduce((sum, s) => sum + s.durationS, 0);
}
