/**
 * `osml-load`: a load tester for OSML Model Runner.
 *
 * This entry only builds the command line; each command's implementation is
 * loaded lazily by its registration in `mod/commands/`.
 *
 * @example
 * ```sh
 * deno task osml-load --help
 * deno task demo
 * ```
 * @module
 */
import { buildProgram } from "./mod/commands/program.ts";
import { runCli } from "./mod/commands/run_cli.ts";
import { installEarlySignals } from "./mod/engine/interrupt.ts";

if (import.meta.main) {
  // Commands that run load stop gracefully on a signal from their first instant.
  if (["run", "demo", "capacity"].includes(Deno.args[0] ?? "")) installEarlySignals();
  // Exit explicitly: a finished command must end the process even if a library left a handle open.
  Deno.exit(await runCli(buildProgram(), Deno.args));
}
