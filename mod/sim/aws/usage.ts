/**
 * The simulator's usage ledger: what the simulated deployment consumed, hour by
 * hour, so that the simulated Cost Explorer can price a run deterministically.
 *
 * Components record usage as it happens (an SQS request, bytes stored in S3, an
 * endpoint being InService); the cost model turns the ledger into amounts.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { UsageLedger } from "./usage.ts";
 * const ledger = new UsageLedger();
 * ledger.record("Amazon Simple Queue Service", "Requests-Tier1", 1);
 * assert.equal(ledger.entries().length, 1);
 * ```
 * @module
 */

/**
 * Usage summed over one clock hour: `quantity` units of `usageType` of
 * `service` in the hour starting at `hour` (ms since epoch, a multiple of 3,600,000).
 */
export interface UsageRecord {
  /** The service name as Cost Explorer's SERVICE dimension spells it. */
  service: string;
  /** A usage type, e.g. `Requests-Tier1`, `TimedStorage-ByteHrs`, `ml.g4dn.xlarge-Hosting`. */
  usageType: string;
  /** Units consumed (requests, byte-hours, instance-hours, ...). */
  quantity: number;
  /** Start of the clock hour, in ms since the Unix epoch. */
  hour: number;
  /** Cost-allocation tags of the resource that consumed it (Cost Explorer's `Tags` filter). */
  tags?: Record<string, string>;
}

const HOUR_MS = 3_600_000;

/** A resource that accrues usage for as long as it runs (an endpoint, a worker). */
export interface RunningResource {
  service: string;
  usageType: string;
  /** Units per hour while running, e.g. 1 instance-hour per hour. */
  unitsPerHour: number;
  /** Start of the running period, ms since epoch. */
  since: number;
  /** End of the running period, or undefined while it still runs. */
  until?: number;
  /** Cost-allocation tags, e.g. `{ Project: "osml-model-runner" }` (Cost Explorer's `Tags` filter). */
  tags?: Record<string, string>;
}

/**
 * Records usage, summed per clock hour (memory does not grow with the number of
 * requests), and running resources.
 */
export class UsageLedger {
  #records = new Map<string, UsageRecord>();
  #running: RunningResource[] = [];

  /**
   * Record `quantity` units of usage now (or at `at`, ms since epoch), optionally
   * by a resource carrying cost-allocation `tags`.
   */
  record(
    service: string,
    usageType: string,
    quantity: number,
    at: number = Date.now(),
    tags?: Record<string, string>,
  ): void {
    const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
    const tagKey = tags ? JSON.stringify(Object.entries(tags).sort()) : "";
    const key = `${service}\u0000${usageType}\u0000${hour}\u0000${tagKey}`;
    const existing = this.#records.get(key);
    if (existing) existing.quantity += quantity;
    else {
      this.#records.set(
        key,
        tags ? { service, usageType, quantity, hour, tags: { ...tags } } : {
          service,
          usageType,
          quantity,
          hour,
        },
      );
    }
  }

  /** Start a resource that accrues `unitsPerHour` until {@linkcode UsageLedger.stop} is called. */
  start(resource: Omit<RunningResource, "since"> & { since?: number }): RunningResource {
    const running: RunningResource = { ...resource, since: resource.since ?? Date.now() };
    this.#running.push(running);
    return running;
  }

  /** Stop a running resource. */
  stop(resource: RunningResource, at: number = Date.now()): void {
    resource.until = at;
  }

  /** Every hourly usage record so far. */
  entries(): UsageRecord[] {
    return [...this.#records.values()];
  }

  /** Every running (or stopped) resource so far. */
  resources(): readonly RunningResource[] {
    return this.#running;
  }
}
