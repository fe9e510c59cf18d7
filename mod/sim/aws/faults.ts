/**
 * Fault injection for the simulator: throttling, internal errors, added
 * latency, dropped connections and access denial, each by probability and
 * operation (`"<Service>.<Operation>"`, e.g. `SQS.SendMessage`, `S3.GetObject`).
 * Off by default; changeable at runtime; random choices come from a seeded PRNG.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { FaultInjector } from "./faults.ts";
 * const faults = new FaultInjector();
 * faults.set({ throttle: { probability: 1, operations: ["SQS.SendMessage"] } });
 * assert.deepEqual(faults.decide("SQS.SendMessage"), { latencyMs: 0, action: "throttle" });
 * assert.deepEqual(faults.decide("SQS.ReceiveMessage"), { latencyMs: 0, action: undefined });
 * ```
 * @module
 */
import { Prng } from "./prng.ts";

/** One kind of fault: how often, and for which operations (none = all). */
export interface FaultRule {
  /** Probability per request, 0–1. */
  probability: number;
  /** `"<Service>.<Operation>"` names; absent = every operation. */
  operations?: string[];
  /** Added delay in ms (latency only). */
  ms?: number;
}

/** Every fault setting. */
export interface FaultOptions {
  /** Throttle: SQS `RequestThrottled`, ECS/SageMaker/CE `ThrottlingException`, S3 `SlowDown` 503, STS `Throttling`. */
  throttle?: FaultRule;
  /** `InternalError` (S3) / `InternalFailure` 500. */
  internalError?: FaultRule;
  /** Sleep `ms` before answering. */
  latency?: FaultRule;
  /** Close the connection without an answer. */
  dropConnection?: FaultRule;
  /** Operations that are always refused with AccessDenied. */
  deny?: string[];
  /** PRNG seed (default 1). */
  seed?: number;
}

/** The faulty outcome chosen for one request. */
export type FaultAction = "deny" | "throttle" | "internalError" | "dropConnection";

/** What to do to one request. */
export interface FaultDecision {
  /** Sleep this long first (0 = none). */
  latencyMs: number;
  /** Then fail this way, or answer normally when undefined. */
  action: FaultAction | undefined;
}

function applies(rule: FaultRule | undefined, operation: string): rule is FaultRule {
  return rule !== undefined && rule.probability > 0 &&
    (rule.operations === undefined || rule.operations.includes(operation));
}

function checkRule(name: string, rule: FaultRule | undefined): void {
  if (rule === undefined) return;
  if (!(rule.probability >= 0 && rule.probability <= 1)) {
    throw new RangeError(
      `Fault ${name}.probability must be between 0 and 1 (got ${rule.probability}): pass e.g. 0.05.`,
    );
  }
  if (rule.ms !== undefined && !(rule.ms >= 0)) {
    throw new RangeError(`Fault ${name}.ms must be >= 0 (got ${rule.ms}).`);
  }
}

/**
 * Decides, request by request, which fault (if any) to inject.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { FaultInjector } from "./faults.ts";
 * const f = new FaultInjector({ deny: ["S3.HeadBucket"] });
 * assert.equal(f.decide("S3.HeadBucket").action, "deny");
 * ```
 */
export class FaultInjector {
  #options: FaultOptions = {};
  #rng = new Prng(1);

  /** Start with `options` (default: no faults). */
  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  /** Replace every fault setting (pass `{}` to turn faults off). */
  set(options: FaultOptions): void {
    checkRule("throttle", options.throttle);
    checkRule("internalError", options.internalError);
    checkRule("latency", options.latency);
    checkRule("dropConnection", options.dropConnection);
    this.#options = structuredClone(options);
    this.#rng = new Prng(options.seed ?? 1);
  }

  /** The current settings (a copy). */
  get options(): FaultOptions {
    return structuredClone(this.#options);
  }

  /** Choose the fault for one request to `operation` (`"<Service>.<Operation>"`). */
  decide(operation: string): FaultDecision {
    const o = this.#options;
    let latencyMs = 0;
    if (applies(o.latency, operation) && this.#rng.chance(o.latency.probability)) {
      latencyMs = o.latency.ms ?? 0;
    }
    let action: FaultAction | undefined;
    if (o.deny?.includes(operation)) action = "deny";
    else if (
      applies(o.dropConnection, operation) && this.#rng.chance(o.dropConnection.probability)
    ) {
      action = "dropConnection";
    } else if (applies(o.throttle, operation) && this.#rng.chance(o.throttle.probability)) {
      action = "throttle";
    } else if (
      applies(o.internalError, operation) && this.#rng.chance(o.internalError.probability)
    ) {
      action = "internalError";
    }
    return { latencyMs, action };
  }
}
