/**
 * The load generator's own CPU and memory, as the web UI shows them (Locust
 * shows its CPU and warns at 90 %). CPU is the whole process (main thread and
 * every user worker) as a share of all cores, measured between two samples.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SystemUsageSampler } from "./system_usage.ts";
 * const sampler = new SystemUsageSampler();
 * const usage = sampler.sample();
 * assert.equal(usage.cpuPercent >= 0, true);
 * ```
 * @module
 */
import { cpuUsage } from "node:process";
import type { SystemUsage } from "../frontend/wire.ts";

export type { SystemUsage };

/** CPU share at or above which the UI warns that the generator is saturated (Locust: 90 %). */
export const CPU_WARNING_PERCENT = 90;

/**
 * Samples CPU by difference: each {@linkcode SystemUsageSampler.sample} call
 * reports the CPU used since the previous call.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SystemUsageSampler } from "./system_usage.ts";
 * assert.equal(new SystemUsageSampler().sample().cores >= 1, true);
 * ```
 */
export class SystemUsageSampler {
  #lastCpu = cpuUsage();
  #lastAt = performance.now();
  #cores = Math.max(1, navigator.hardwareConcurrency || 1);

  /** Read CPU (since the last call) and memory now. */
  sample(): SystemUsage {
    const now = performance.now();
    const cpu = cpuUsage();
    const usedUs = (cpu.user - this.#lastCpu.user) + (cpu.system - this.#lastCpu.system);
    const wallUs = (now - this.#lastAt) * 1000;
    this.#lastCpu = cpu;
    this.#lastAt = now;
    const cpuPercent = wallUs > 0
      ? Math.min(100, Math.max(0, (usedUs / (wallUs * this.#cores)) * 100))
      : 0;
    const memory = Deno.memoryUsage();
    return {
      cpuPercent,
      cores: this.#cores,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      cpuWarning: cpuPercent >= CPU_WARNING_PERCENT,
    };
  }
}
