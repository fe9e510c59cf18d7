/**
 * Run the simulator in its own process (used by `scripts/bench_sim.ts`,
 * `scripts/bench_engine.ts` and `scripts/bench_soak.ts`, and handy without the CLI):
 *
 * ```text
 * deno run -A scripts/sim_server.ts [PORT] [--no-model-runner] [--no-seed]
 *   [--mr-workers=N] [--mr-fixed-ms=MS] [--mr-ms-per-megapixel=MS]
 * ```
 *
 * `--mr-workers` and `--mr-fixed-ms` set the simulated Model Runner's capacity (defaults 4
 * workers, 200 ms an image plus 20 ms per megapixel): e.g. `--mr-workers=2 --mr-fixed-ms=500`
 * processes about 4 images a second, slower than 200 users' load, so the backlog grows as in a
 * real overload. Prints the export lines, then serves until SIGINT/SIGTERM.
 *
 * @example
 * ```sh
 * deno run --allow-net --allow-read --allow-write --allow-env --allow-sys scripts/sim_server.ts 4566
 * ```
 * @module
 */
import { serveSimulator } from "../mod/commands/sim.ts";
import type { ModelRunnerOptions } from "../mod/sim/model_runner/model_runner.ts";
import { UsageError } from "../mod/usage_error.ts";

/**
 * The simulator options from the command line.
 *
 * @example
 * ```ts
 * import { simServerOptions } from "./sim_server.ts";
 * const o = simServerOptions(["4567", "--mr-workers=2", "--mr-fixed-ms=500"]);
 * if (o.port !== 4567 || o.modelRunner === false || o.modelRunner?.workers !== 2) throw new Error();
 * ```
 */
export function simServerOptions(args: readonly string[]): {
  port: number;
  seed?: boolean;
  modelRunner?: Partial<ModelRunnerOptions> | false;
} {
  const port = Number(args.find((a) => /^\d+$/.test(a)) ?? "4566");
  const number = (flag: string): number | undefined => {
    const arg = args.find((a) => a.startsWith(`${flag}=`));
    if (arg === undefined) return undefined;
    const value = Number(arg.slice(flag.length + 1));
    if (!Number.isFinite(value) || value < 0) {
      throw new UsageError(`${flag} must be a number >= 0, not ${arg.slice(flag.length + 1)}`);
    }
    return value;
  };
  const runner: Partial<ModelRunnerOptions> = {};
  const workers = number("--mr-workers");
  const fixedMs = number("--mr-fixed-ms");
  const perMegapixel = number("--mr-ms-per-megapixel");
  if (workers !== undefined) runner.workers = Math.floor(workers);
  if (fixedMs !== undefined) runner.fixedMs = fixedMs;
  if (perMegapixel !== undefined) runner.msPerMegapixel = perMegapixel;
  return {
    port,
    ...(args.includes("--no-model-runner")
      ? { modelRunner: false as const }
      : { modelRunner: runner }),
    ...(args.includes("--no-seed") ? { seed: false } : {}),
  };
}

if (import.meta.main) {
  await serveSimulator(simServerOptions(Deno.args));
}
