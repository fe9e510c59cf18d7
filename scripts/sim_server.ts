/**
 * Run the simulator in its own process (used by `scripts/bench_sim.ts`, and
 * handy without the CLI): `deno run -A scripts/sim_server.ts [PORT] [--no-model-runner]`.
 * Prints the export lines, then serves until SIGINT/SIGTERM.
 *
 * @example
 * ```sh
 * deno run --allow-net --allow-read --allow-write --allow-env --allow-sys scripts/sim_server.ts 4566
 * ```
 * @module
 */
import { serveSimulator } from "../mod/sim/serve_sim.ts";

if (import.meta.main) {
  const port = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? "4566");
  const noRunner = Deno.args.includes("--no-model-runner");
  const noSeed = Deno.args.includes("--no-seed");
  await serveSimulator({
    port,
    ...(noRunner ? { modelRunner: false as const } : {}),
    ...(noSeed ? { seed: false } : {}),
  });
}
