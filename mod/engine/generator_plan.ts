/**
 * The plan of a distributed run (`run --generators N`): each generator's
 * share of the load, computed apart from starting anything, so it can be
 * printed (`--dry-run`) and tested.
 *
 * - Users (`--users`, and each `--stages` target) are whole numbers split as
 *   evenly as possible: the first `total mod N` generators get one more, so
 *   the shares add up to the total exactly.
 * - The spawn rate follows each generator's share of the users, so every
 *   generator reaches its count at the same time as one process would.
 * - Rates (`--rate`, each `--rate-stages` target) and the burst shape's
 *   `--burst-min` / `--burst-peak` are divided evenly (fractions allowed);
 *   the shares add up to the total.
 *
 * Every generator needs at least one user: a plan with fewer users than
 * generators is refused with a {@linkcode UsageError}.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { planGenerators, shareFlags } from "./generator_plan.ts";
 * const plan = planGenerators({ generators: 3, users: 10, spawnRate: 5, shape: { name: "window" } });
 * assert.deepEqual(plan.map((g) => g.users), [4, 3, 3]);
 * assert.deepEqual(shareFlags(plan[0]!), { users: "4", spawnRate: "2" });
 * ```
 * @module
 */
import type { ShapeSettings } from "../config/shape_settings.ts";
import type { Stage } from "../config/stages.ts";
import { UsageError } from "../usage_error.ts";

/** What the plan divides: the run's generator count, users, spawn rate and shape. */
export interface GeneratorPlanInput {
  /** How many generators (≥ 1). */
  generators: number;
  /** `--users` of the whole run. */
  users: number;
  /** `--spawn-rate` of the whole run (users per second). */
  spawnRate: number;
  /** The run's load shape (`--shape` and its flags). */
  shape: ShapeSettings;
}

/** One generator's part of the run. */
export interface GeneratorShare {
  /** 0 … N−1: the generator's `OSML_LOAD_GENERATOR_INDEX`. */
  index: number;
  /** Its `--users`. */
  users: number;
  /** Its `--spawn-rate`. */
  spawnRate: number;
  /** Its shape: the run's, with targets, rates and burst sizes divided. */
  shape: ShapeSettings;
}

/**
 * A whole number split into `parts` as evenly as possible, larger parts first.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { splitCount } from "./generator_plan.ts";
 * assert.deepEqual(splitCount(7, 3), [3, 2, 2]);
 * assert.deepEqual(splitCount(2, 3), [1, 1, 0]);
 * ```
 */
export function splitCount(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

function checkGenerators(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`--generators must be a whole number ≥ 1 (got ${n}), e.g. --generators 3`);
  }
}

function tooFewUsers(what: string, users: number, n: number): UsageError {
  return new UsageError(
    `${what} ${users} is fewer than --generators ${n}: every generator needs at least one ` +
      `user; raise ${what} to ${n} or more, or lower --generators`,
  );
}

/**
 * Divide a run among `input.generators` generators (see the module doc).
 * Throws a {@linkcode UsageError} when a generator would get no user, or for
 * the capacity search (one search cannot be split).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { planGenerators } from "./generator_plan.ts";
 * const plan = planGenerators({
 *   generators: 2, users: 4, spawnRate: 1, shape: { name: "rate", rate: 3, stages: [] },
 * });
 * assert.deepEqual(plan.map((g) => g.shape), [
 *   { name: "rate", rate: 1.5, stages: [] },
 *   { name: "rate", rate: 1.5, stages: [] },
 * ]);
 * ```
 */
export function planGenerators(input: GeneratorPlanInput): GeneratorShare[] {
  const n = input.generators;
  checkGenerators(n);
  const shape = input.shape;
  const even = (value: number) => value / n;
  const evenStages = (stages: readonly Stage[]) =>
    stages.map((s) => ({ durationS: s.durationS, target: even(s.target) }));
  switch (shape.name) {
    case "window":
    case "rate": {
      if (input.users < n) throw tooFewUsers("--users", input.users, n);
      const users = splitCount(input.users, n);
      return users.map((u, index) => ({
        index,
        users: u,
        spawnRate: input.spawnRate * u / input.users,
        shape: shape.name === "window"
          ? { name: "window" }
          : { name: "rate", rate: even(shape.rate), stages: evenStages(shape.stages) },
      }));
    }
    case "stages": {
      const peak = Math.max(...shape.stages.map((s) => s.target));
      if (peak < n) throw tooFewUsers("the largest --stages target", peak, n);
      const perStage = shape.stages.map((s) => splitCount(s.target, n));
      const users = splitCount(input.users, n);
      return users.map((u, index) => ({
        index,
        users: u,
        spawnRate: even(input.spawnRate),
        shape: {
          name: "stages",
          stages: shape.stages.map((s, i) => ({
            durationS: s.durationS,
            target: perStage[i]![index]!,
          })),
        },
      }));
    }
    case "burst": {
      if (shape.peak < n) throw tooFewUsers("--burst-peak", shape.peak, n);
      const users = splitCount(input.users, n);
      return users.map((u, index) => ({
        index,
        users: u,
        spawnRate: even(input.spawnRate),
        shape: { ...shape, min: even(shape.min), peak: even(shape.peak) },
      }));
    }
    case "capacity":
      throw new UsageError(
        "the capacity search runs in one process: it steps one arrival rate and reads one " +
          "backlog; run `osml-load capacity` without --generators",
      );
  }
}

/**
 * A number as option text: plain decimal digits (never an exponent, which
 * the option parsers refuse), at most 12 significant digits.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatShareNumber } from "./generator_plan.ts";
 * assert.equal(formatShareNumber(40 / 3), "13.3333333333");
 * assert.equal(formatShareNumber(2e-8), "0.00000002");
 * ```
 */
export function formatShareNumber(value: number): string {
  const rounded = Number(value.toPrecision(12));
  const text = String(rounded);
  if (!/e/i.test(text)) return text;
  return rounded.toFixed(20).replace(/\.?0+$/, "");
}

/** A rate (jobs/s) as option text in jobs per hour, which keeps small shares readable. */
function rateText(perSecond: number): string {
  return `${formatShareNumber(perSecond * 3600)}/h`;
}

function stagesText(stages: readonly Stage[], target: (value: number) => string): string {
  return stages.map((s) => `${formatShareNumber(s.durationS)}s:${target(s.target)}`).join(",");
}

/**
 * The options (by option-table key, as text) that give a generator its
 * share: `users` and `spawnRate` always, and the shape's divided values.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { shareFlags } from "./generator_plan.ts";
 * const flags = shareFlags({
 *   index: 0, users: 2, spawnRate: 0.5,
 *   shape: { name: "rate", rate: 0.5, stages: [{ durationS: 60, target: 1 }] },
 * });
 * assert.deepEqual(flags, { users: "2", spawnRate: "0.5", rate: "1800/h", rateStages: "60s:3600/h" });
 * ```
 */
export function shareFlags(share: GeneratorShare): Record<string, string> {
  const flags: Record<string, string> = {
    users: String(share.users),
    spawnRate: formatShareNumber(share.spawnRate),
  };
  const shape = share.shape;
  switch (shape.name) {
    case "stages":
      flags.stages = stagesText(shape.stages, String);
      break;
    case "rate":
      if (shape.rate > 0) flags.rate = rateText(shape.rate);
      if (shape.stages.length > 0) flags.rateStages = stagesText(shape.stages, rateText);
      break;
    case "burst":
      flags.burstMin = formatShareNumber(shape.min);
      flags.burstPeak = formatShareNumber(shape.peak);
      break;
    default:
      break;
  }
  return flags;
}

/**
 * The plan as printable lines (`--dry-run` and the start of a distributed run).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatGeneratorPlan, planGenerators } from "./generator_plan.ts";
 * const lines = formatGeneratorPlan(planGenerators({ generators: 2, users: 3, spawnRate: 3, shape: { name: "window" } }));
 * assert.match(lines[2]!, /^ +0 +2 +2\/s/);
 * ```
 */
export function formatGeneratorPlan(plan: readonly GeneratorShare[]): string[] {
  const lines = [`Generators (${plan.length}):`, "  index  users  spawn rate  load"];
  for (const share of plan) {
    const flags = shareFlags(share);
    const load = share.shape.name === "rate"
      ? [flags.rate && `rate ${flags.rate}`, flags.rateStages && `rate stages ${flags.rateStages}`]
        .filter(Boolean).join(", ")
      : share.shape.name === "stages"
      ? `stages ${flags.stages}`
      : share.shape.name === "burst"
      ? `burst ${flags.burstMin}–${flags.burstPeak} users`
      : "window";
    lines.push(
      `  ${String(share.index).padStart(5)}  ${String(share.users).padStart(5)}  ${
        `${Number(share.spawnRate.toFixed(3))}/s`.padStart(10)
      }  ${load}`,
    );
  }
  return lines;
}
