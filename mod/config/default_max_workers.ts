/**
 * Default cap on user workers: one per core, at least 2, at most 16 (each
 * worker with its SQS client costs about 20 MB).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { defaultMaxWorkers } from "./default_max_workers.ts";
 * assert.equal(defaultMaxWorkers() >= 2, true);
 * ```
 */
export function defaultMaxWorkers(): number {
  return Math.max(2, Math.min(16, navigator.hardwareConcurrency || 2));
}
