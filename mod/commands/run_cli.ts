import { type Command, CommanderError } from "commander";
import { ExitCode } from "../exit_codes.ts";
import { UsageError } from "../usage_error.ts";

/**
 * Parse `args` with `program` and run the chosen command, turning errors into
 * one-line messages and exit codes. Command actions report their exit code by
 * setting `Deno.exitCode`; this returns it.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { buildProgram } from "./program.ts";
 * import { runCli } from "./run_cli.ts";
 * const code = await runCli(buildProgram(), ["--version"]); // prints the version
 * assert.equal(code, 0);
 * ```
 */
export async function runCli(program: Command, args: string[]): Promise<number> {
  // Every command, not only the program: commander's own errors (an unknown option, a missing
  // value) are usage errors, exit 2.
  const override = (command: Command) => {
    command.exitOverride();
    for (const sub of command.commands) override(sub);
  };
  override(program);
  try {
    await program.parseAsync(args, { from: "user" });
    return Deno.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message (or the help/version text).
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.UsageError;
    }
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}`);
      return error.exitCode;
    }
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    if (debugging()) console.error(error);
    return ExitCode.RunFailed;
  }
}

/** `OSML_LOAD_DEBUG` is set (false when the environment may not be read: never throw here). */
function debugging(): boolean {
  try {
    return Boolean(Deno.env.get("OSML_LOAD_DEBUG"));
  } catch {
    return false;
  }
}
