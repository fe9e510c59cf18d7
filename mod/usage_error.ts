import { ExitCode } from "./exit_codes.ts";

/**
 * An error the user can fix: bad flags, a missing bucket, an unreadable file.
 * The CLI prints its message as one line (no stack trace) and exits with
 * {@linkcode ExitCode.UsageError} unless another code is given.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ExitCode } from "./exit_codes.ts";
 * import { UsageError } from "./usage_error.ts";
 * const error = new UsageError("--users must be a positive integer (got -1): pass e.g. --users 5");
 * assert.equal(error.exitCode, ExitCode.UsageError);
 * ```
 */
export class UsageError extends Error {
  /** The exit code to use when this error ends the process. */
  readonly exitCode: ExitCode;

  /** Make a usage error; `exitCode` defaults to {@linkcode ExitCode.UsageError}. */
  constructor(message: string, exitCode: ExitCode = ExitCode.UsageError) {
    super(message);
    this.name = "UsageError";
    this.exitCode = exitCode;
  }
}
