/**
 * The capacity search (`osml-load capacity`): an open-model shape that steps
 * the arrival rate up from `startRate` by `step` every `stepS` seconds,
 * watching the request-queue backlog and the end-to-end job latency. A step
 * passes when the backlog stayed bounded (grew by at most 5 % of the jobs the
 * step submitted, and at most 3 jobs when that is more) and the job-latency
 * p95 stayed under `maxLatencyMs`; the search stops early when the failed
 * share of finished jobs exceeds `maxFailRatio`. After the first failing
 * step it holds at 95 % of the last passing rate for one more step to confirm
 * it (stepping down again if that fails), then ends. The last confirmed rate
 * is the sustainable throughput. A step that had to drop more than 2 % of its
 * submissions (no free user in time) ends the search: the generator, not the
 * service, was the limit.
 *
 * A backlog that could not be read (null) is never taken for 0: a step with
 * an unknown backlog at its start or end is decided on the job latency alone
 * (`decidedOn: "latency"`, `backlogUnknown: true` in its record), and when no
 * job finished in it either, it cannot pass (`unmeasured`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { capacityShape } from "./capacity_shape.ts";
 * const search = capacityShape({ startRate: 1, step: 1, stepS: 30, maxLatencyMs: 600_000,
 *   maxFailRatio: 0.1, users: 20, maxSteps: 20 });
 * assert.deepEqual(search.tick(0), { rate: 1, users: 20 });
 * ```
 * @module
 */
import type { CapacityStep } from "../model/run_report.ts";
import { diffHistograms, percentileOf } from "../stats/response_times.ts";
import type { LoadShape, PlanRow, ShapeObservation } from "./load_shape.ts";

/** Options of {@linkcode capacityShape}. */
export interface CapacityOptions {
  startRate: number;
  step: number;
  stepS: number;
  maxLatencyMs: number;
  maxFailRatio: number;
  users: number;
  /** Most search steps before giving up (the rate never stopped being sustainable). */
  maxSteps: number;
}

/** The search's outcome. */
export interface CapacityResult {
  /** Sustainable rate in jobs/s (0 when even the start rate failed). */
  rate: number;
  /** Why the search ended. */
  ended: "found" | "failures" | "below-start" | "max-steps" | "generator" | "stopped";
  /** Per hour at that rate, from the completed jobs' average size and pixels. */
  imagesPerHour: number;
  gbPerHour: number;
  gigapixelsPerHour: number;
}

/** A capacity search shape with its steps and result. */
export interface CapacitySearch extends LoadShape {
  steps(): readonly CapacityStep[];
  result(): CapacityResult;
}

const CONFIRM_FACTOR = 0.95;
/** A step that dropped more than this share of its submissions is the generator's fault. */
const GENERATOR_DROP_SHARE = 0.02;
const MAX_CONFIRMS = 3;

/** Make a capacity search. */
export function capacityShape(options: CapacityOptions): CapacitySearch {
  const steps: CapacityStep[] = [];
  let rate = options.startRate;
  let stepStartS = 0;
  let phase: "search" | "confirm" | "done" = "search";
  let lastOk: number | undefined;
  let confirms = 0;
  let ended: CapacityResult["ended"] = "stopped";
  let start: ShapeObservation | undefined;
  let last: ShapeObservation | undefined;

  const finishStep = (end: ShapeObservation) => {
    const begin = start!;
    const durationS = Math.max(1e-9, end.elapsedS - begin.elapsedS);
    const done = end.jobsDone - begin.jobsDone;
    const failed = end.jobsFailed - begin.jobsFailed;
    const sent = end.jobsSent - begin.jobsSent;
    const latency = diffHistograms(end.latency, begin.latency);
    const latencyP95Ms = done > 0 ? percentileOf(latency, done, 0.95) : null;
    // Unknown is not zero: a backlog that could not be read at either end of the step says
    // nothing about its growth, so the step is decided on latency alone.
    const backlogStart = begin.backlog ?? null;
    const backlogEnd = end.backlog ?? null;
    const backlogUnknown = backlogStart === null || backlogEnd === null;
    const failRatio = done > 0 ? failed / done : 0;
    const tolerance = Math.max(3, 0.05 * sent);
    let verdict: CapacityStep["verdict"] = "ok";
    // A generator that could not submit the target says nothing about the service.
    const scheduled = end.scheduled - begin.scheduled;
    if (end.dropped - begin.dropped > GENERATOR_DROP_SHARE * scheduled) verdict = "generator";
    else if (failRatio > options.maxFailRatio) verdict = "failures";
    else if (!backlogUnknown && backlogEnd! - backlogStart! > tolerance) verdict = "backlog";
    else if (latencyP95Ms !== null && latencyP95Ms > options.maxLatencyMs) verdict = "latency";
    else if (backlogUnknown && latencyP95Ms === null) verdict = "unmeasured";
    const step: CapacityStep = {
      step: steps.length + 1,
      targetRate: rate,
      achievedRate: sent / durationS,
      backlogStart,
      backlogEnd,
      latencyP95Ms,
      failRatio,
      verdict: phase === "confirm" && verdict === "ok" ? "confirm" : verdict,
      decidedOn: backlogUnknown ? "latency" : "backlog+latency",
      backlogUnknown,
    };
    steps.push(step);
    return verdict;
  };

  const next = (verdict: CapacityStep["verdict"]) => {
    if (verdict === "failures" || verdict === "generator") {
      phase = "done";
      ended = verdict;
      return;
    }
    if (phase === "search") {
      if (verdict === "ok") {
        lastOk = rate;
        if (steps.length >= options.maxSteps) {
          phase = "done";
          ended = "max-steps";
          return;
        }
        rate += options.step;
        return;
      }
      if (lastOk === undefined) {
        phase = "done";
        ended = "below-start";
        return;
      }
      phase = "confirm";
      rate = lastOk * CONFIRM_FACTOR;
      return;
    }
    if (phase === "confirm") {
      if (verdict === "ok") {
        phase = "done";
        ended = "found";
        return;
      }
      confirms++;
      lastOk = Math.max(0, lastOk! - options.step);
      if (confirms >= MAX_CONFIRMS || lastOk <= 0) {
        phase = "done";
        ended = lastOk > 0 ? "found" : "below-start";
        if (lastOk <= 0) lastOk = undefined;
        return;
      }
      rate = lastOk * CONFIRM_FACTOR;
    }
  };

  return {
    name: "capacity",
    durationS: undefined,
    tick(_elapsedS) {
      if (phase === "done") return null;
      return { rate, users: options.users };
    },
    observe(observation) {
      last = observation;
      if (phase === "done") return;
      start ??= observation;
      if (observation.elapsedS - stepStartS >= options.stepS) {
        const verdict = finishStep(observation);
        next(verdict);
        start = observation;
        stepStartS = observation.elapsedS;
      }
    },
    plan() {
      const rows: PlanRow[] = [];
      for (let i = 0; i < Math.min(options.maxSteps, 10); i++) {
        rows.push({
          atS: i * options.stepS,
          users: options.users,
          rate: options.startRate + i * options.step,
          note: i === 0
            ? "capacity search: step up until the backlog grows or p95 passes --max-latency"
            : "",
        });
      }
      rows.push({
        atS: Math.min(options.maxSteps, 10) * options.stepS,
        note: "... then confirm at 95 % of the last passing rate for one step",
      });
      return rows;
    },
    steps: () => steps,
    result() {
      const sustainable = lastOk ?? 0;
      const done = last?.jobsDone ?? 0;
      const gbPerJob = done ? (last?.gbDone ?? 0) / done : 0;
      const pixelsPerJob = done ? (last?.pixelsDone ?? 0) / done : 0;
      return {
        rate: sustainable,
        ended: phase === "done" ? ended : "stopped",
        imagesPerHour: sustainable * 3600,
        gbPerHour: sustainable * 3600 * gbPerJob,
        gigapixelsPerHour: (sustainable * 3600 * pixelsPerJob) / 1e9,
      };
    },
  };
}
