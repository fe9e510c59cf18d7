/**
 * Test support for engine tests: a simulator and a temporary folder for the
 * duration of a test, and run settings for short runs. Nothing here touches
 * `Deno.env` (tests run in parallel in one process): the run reads the
 * simulator's environment from its settings (`sim.env`).
 * @module
 */
import { resolveRunSettings, type RunFlags, type RunSettings } from "../mod/config/run_settings.ts";
import { type Simulator, type SimulatorOptions, startSimulator } from "../mod/sim/simulator.ts";

/** Run `fn` with a simulator and a temporary folder; always cleans up. */
export async function withSimulator<T>(
  options: SimulatorOptions,
  fn: (sim: Simulator, dir: string) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator(options);
  try {
    const dir = await Deno.makeTempDir({ prefix: "osml-load-test-" });
    try {
      return await fn(sim, dir);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  } finally {
    await sim.close();
  }
}

/**
 * Settings for a short headless run against the seeded simulator, resolved
 * with the simulator's environment (`sim.env`) and `env` on top of it.
 */
export function shortRun(
  sim: Simulator,
  dir: string,
  flags: RunFlags = {},
  env: Record<string, string> = {},
): RunSettings {
  return resolveRunSettings({
    sourceBucket: `s3://osml-test-images-${sim.account}`,
    resultBucket: `s3://mr-bucket-sink-${sim.account}`,
    users: "3",
    spawnRate: "10",
    runTime: "3s",
    waitMin: "0.1",
    waitMax: "0.3",
    logDir: `${dir}/logs`,
    statsInterval: "1",
    completionTimeout: "30s",
    ...flags,
  }, { ...sim.env, ...env });
}

/** Collects written lines, for runs whose console output a test reads. */
export function lineSink(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line) => lines.push(line) };
}
