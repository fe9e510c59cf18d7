/**
 * Process exit codes of `osml-load`, as named constants.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ExitCode } from "./exit_codes.ts";
 * assert.equal(ExitCode.Ok, 0);
 * assert.equal(ExitCode.UsageError, 2);
 * ```
 * @module
 */

/** Every exit code the tool uses. */
export const ExitCode = {
  /** The command did what it was asked and nothing failed. */
  Ok: 0,
  /** The run completed but recorded failures or exceptions (Locust's rule). */
  RunFailed: 1,
  /** Bad command line, bad input file, or a configuration that cannot work. */
  UsageError: 2,
  /** One or more `--threshold` expressions did not hold. */
  ThresholdsFailed: 3,
  /**
   * The tool itself failed during the run (an output that could not be written, a worker or the
   * status monitor that died): the run was stopped and what could be written was written.
   */
  ToolFailed: 4,
  /** Stopped by Ctrl-C or SIGTERM (outputs were still written). */
  Interrupted: 130,
} as const;

/** One of the values of {@linkcode ExitCode}. */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode];
