/**
 * Run the simulator as a foreground server: start it, print the `export`
 * lines that point any AWS client at it and what was seeded, serve until
 * SIGINT/SIGTERM (or `signal`), then close cleanly. The implementation of
 * `osml-load sim` and of `scripts/sim_server.ts`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { serveSimulator } from "./sim.ts";
 * const stop = new AbortController();
 * const lines: string[] = [];
 * const done = serveSimulator({ port: 0 }, {
 *   signal: stop.signal, handleSignals: false, print: (line) => lines.push(line), onReady: () => stop.abort(),
 * });
 * await done;
 * assert.match(lines[0]!, /^# osml-load simulator listening on http:\/\/127\.0\.0\.1:\d+ /);
 * assert.equal(lines.at(-1), "# Simulator stopped.");
 * ```
 * @module
 */
import { type Simulator, type SimulatorOptions, startSimulator } from "../sim/simulator.ts";

/** How {@linkcode serveSimulator} reports and when it stops. */
export interface ServeOptions {
  /** Stop when aborted (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Where lines go (default console.log). */
  print?: (line: string) => void;
  /** Called once the simulator is up. */
  onReady?: (sim: Simulator) => void;
  /** Listen for SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

/**
 * The `export VAR=value` lines for a simulator's environment: the AWS
 * endpoint, region and credentials, and, when the deployment is seeded, the
 * upstream bucket variables of its image and result buckets, so that
 * `osml-load run --headless` works right after them.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { exportLines } from "./sim.ts";
 * const sim = await startSimulator({ port: 0, seed: false, modelRunner: false });
 * assert.equal(exportLines(sim)[0], `export AWS_ENDPOINT_URL=${sim.endpoint}`);
 * await sim.close();
 * ```
 */
export function exportLines(sim: Simulator): string[] {
  const env: Record<string, string> = { ...sim.env };
  if (sim.seeded) {
    env.S3_LOAD_TEST_SOURCE_IMAGE_BUCKET = `s3://${sim.seeded.imageBucket}`;
    env.S3_LOAD_TEST_RESULT_BUCKET = `s3://${sim.seeded.resultBucket}`;
  }
  return Object.entries(env).map(([k, v]) => `export ${k}=${v}`);
}

/**
 * Start, print, serve until stopped, close.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { serveSimulator } from "./sim.ts";
 * const stop = new AbortController();
 * let endpoint = "";
 * const serving = serveSimulator({ port: 0 }, {
 *   signal: stop.signal, handleSignals: false, print: () => {},
 *   onReady: (sim) => {
 *     endpoint = sim.endpoint;
 *     stop.abort();
 *   },
 * });
 * await serving;
 * assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
 * ```
 */
export async function serveSimulator(
  options: SimulatorOptions,
  serve: ServeOptions = {},
): Promise<void> {
  const print = serve.print ?? ((line: string) => console.log(line));
  const sim = await startSimulator(options);
  try {
    print(
      `# osml-load simulator listening on ${sim.endpoint} (region ${sim.region}, account ${sim.account})`,
    );
    print("# Point any AWS client at it:");
    for (const line of exportLines(sim)) print(line);
    const s = sim.seeded;
    if (s) {
      print("# Seeded deployment:");
      print(`#   request queue  ${s.requestQueueUrl} (DLQ ${s.deadLetterQueueUrl})`);
      print(`#   status topic   ${s.statusTopicArn} -> status queue`);
      print(`#   status queue   ${s.statusQueueUrl}`);
      print(`#   image bucket   s3://${s.imageBucket}/ (${s.imageKeys.length} sample images)`);
      print(`#   result bucket  s3://${s.resultBucket}/`);
      print(`#   task def       ${s.taskDefinitionArn}`);
      print(`#   generator      ${s.generatorTaskDefinitionArn} (clusters default, osml-load)`);
      print(`#   endpoints      ${s.endpoints.join(", ")}`);
    }
    if (sim.modelRunner) {
      const o = sim.modelRunner.options;
      print(
        `# Model Runner: ${o.workers} workers, ${o.fixedMs} ms + ${o.msPerMegapixel} ms/megapixel, ` +
          `failure ${o.failureRate}, partial ${o.partialRate}`,
      );
    } else {
      print("# Model Runner: off");
    }
    print("# Press Ctrl-C to stop.");
    serve.onReady?.(sim);
    await new Promise<void>((resolve) => {
      const signals: Deno.Signal[] = serve.handleSignals === false ? [] : ["SIGINT", "SIGTERM"];
      const stop = () => {
        for (const sig of signals) Deno.removeSignalListener(sig, stop);
        serve.signal?.removeEventListener("abort", stop);
        resolve();
      };
      for (const sig of signals) Deno.addSignalListener(sig, stop);
      if (serve.signal?.aborted) stop();
      else serve.signal?.addEventListener("abort", stop, { once: true });
    });
    print("# Simulator stopped.");
  } finally {
    await sim.close();
  }
}
