/**
 * `--shape` and its flags, parsed and checked before anything runs (mod/shapes/build_shape.ts
 * makes the load shape from them).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseShapeSettings } from "./shape_settings.ts";
 * import { buildShape } from "../shapes/build_shape.ts";
 * const settings = parseShapeSettings({ shape: "stages", stages: "10s:5,10s:0" }, 60);
 * assert.equal(buildShape(settings, { users: 1, spawnRate: 1, windowS: 60 }).durationS, 20);
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import { parseDuration, parsePositiveNumber } from "./duration.ts";
import { parseStages, type Stage } from "./stages.ts";
import { parseRate } from "./rate.ts";

/** The shapes `--shape` accepts. */
export const SHAPE_NAMES = ["window", "stages", "burst", "rate"] as const;

/** Parsed shape options. */
export type ShapeSettings =
  | { name: "window" }
  | { name: "stages"; stages: Stage[] }
  | { name: "burst"; periodS: number; min: number; peak: number; stdS: number; meanS: number }
  | { name: "rate"; rate: number; stages: Stage[] }
  | {
    name: "capacity";
    startRate: number;
    step: number;
    stepS: number;
    maxLatencyMs: number;
    maxFailRatio: number;
    maxSteps: number;
  };

type Flags = Record<string, string | boolean | string[] | undefined>;

function str(flags: Flags, key: string): string | undefined {
  const value = flags[key];
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** Parse `--shape` and its flags; `windowS` is the run's window. */
export function parseShapeSettings(flags: Flags, _windowS: number): ShapeSettings {
  const name = str(flags, "shape") ??
    (str(flags, "rate") || str(flags, "rateStages") ? "rate" : "window");
  switch (name) {
    case "window":
      return { name };
    case "stages": {
      const text = str(flags, "stages");
      if (!text) {
        throw new UsageError('--shape stages needs --stages, e.g. --stages "2m:10,5m:50,2m:0"');
      }
      return { name, stages: parseStages(text, "--stages", (t) => parseUsers(t)) };
    }
    case "burst": {
      const periodS = parseDuration(str(flags, "burstPeriod") ?? "600", "--burst-period");
      if (periodS <= 0) throw new UsageError("--burst-period must be longer than 0 s");
      const min = parsePositiveNumber(str(flags, "burstMin") ?? "5", "--burst-min", true);
      const peak = parsePositiveNumber(str(flags, "burstPeak") ?? "40", "--burst-peak", true);
      if (peak < min) throw new UsageError(`--burst-peak (${peak}) must be ≥ --burst-min (${min})`);
      const stdS = parseDuration(str(flags, "burstStd") ?? String(periodS / 10), "--burst-std");
      if (stdS <= 0) throw new UsageError("--burst-std must be longer than 0 s");
      const meanS = parseDuration(str(flags, "burstMean") ?? String(periodS / 2), "--burst-mean");
      return { name, periodS, min, peak, stdS, meanS };
    }
    case "rate": {
      const rateText = str(flags, "rate");
      const stagesText = str(flags, "rateStages");
      if (!rateText && !stagesText) {
        throw new UsageError("--shape rate needs --rate (e.g. --rate 120/min) or --rate-stages");
      }
      return {
        name,
        rate: rateText ? parseRate(rateText, "--rate") : 0,
        stages: stagesText
          ? parseStages(stagesText, "--rate-stages", (t) => parseRate(t, "--rate-stages"))
          : [],
      };
    }
    case "capacity": {
      const startRate = parseRate(str(flags, "startRate") ?? "1/s", "--start-rate");
      const step = str(flags, "step") ? parseRate(str(flags, "step")!, "--step") : startRate;
      const stepS = parseDuration(str(flags, "stepDuration") ?? "2m", "--step-duration");
      if (stepS <= 0) throw new UsageError("--step-duration must be longer than 0 s, e.g. 2m");
      const maxLatencyMs = parseDuration(str(flags, "maxLatency") ?? "10m", "--max-latency") * 1000;
      const maxFailRatio = parsePositiveNumber(
        str(flags, "maxFailRatio") ?? "0.1",
        "--max-fail-ratio",
        true,
      );
      if (maxFailRatio > 1) throw new UsageError("--max-fail-ratio must be between 0 and 1");
      const maxSteps = Number(str(flags, "maxSteps") ?? "30");
      if (!Number.isInteger(maxSteps) || maxSteps < 1) {
        throw new UsageError("--max-steps must be a whole number ≥ 1");
      }
      return { name, startRate, step, stepS, maxLatencyMs, maxFailRatio, maxSteps };
    }
    default:
      throw new UsageError(
        `unknown --shape ${JSON.stringify(name)}: use one of ${SHAPE_NAMES.join(", ")}`,
      );
  }
}

function parseUsers(text: string): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 0) {
    throw new UsageError(
      `--stages target ${JSON.stringify(text)} must be a user count, e.g. 2m:10`,
    );
  }
  return n;
}
