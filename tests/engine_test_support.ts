/**
 * Test support for engine tests: a simulator with the AWS environment pointed
 * at it for the duration of a test, and run settings for short runs.
 * @module
 */
import { resolveRunSettings, type RunFlags, type RunSettings } from "../mod/config/run_settings.ts";
import { type Simulator, type SimulatorOptions, startSimulator } from "../mod/sim/simulator.ts";

const AWS_VARS = [
  "AWS_ENDPOINT_URL",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_PROFILE",
  "REGION",
  "ACCOUNT",
  "TASK_DEFINITION_PATTERN",
];

/** Run `fn` with a simulator and the AWS environment pointing at it; always cleans up. */
export async function withSimulator<T>(
  options: SimulatorOptions,
  fn: (sim: Simulator, dir: string) => Promise<T>,
): Promise<T> {
  const saved = new Map(AWS_VARS.map((name) => [name, Deno.env.get(name)]));
  const sim = await startSimulator(options);
  const dir = await Deno.makeTempDir({ prefix: "osml-load-test-" });
  try {
    for (const name of AWS_VARS) Deno.env.delete(name);
    for (const [name, value] of Object.entries(sim.env)) Deno.env.set(name, value);
    return await fn(sim, dir);
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Settings for a short headless run against the seeded simulator. */
export function shortRun(sim: Simulator, dir: string, flags: RunFlags = {}): RunSettings {
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
  }, Deno.env.toObject());
}

/** Collects written lines, for runs whose console output a test reads. */
export function lineSink(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line) => lines.push(line) };
}
