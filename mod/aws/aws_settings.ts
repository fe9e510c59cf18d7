/**
 * What every AWS client needs: the region, and how long one call may take.
 *
 * @example
 * ```ts
 * import { type AwsSettings, DEFAULT_AWS_TIMEOUT_MS } from "./aws_settings.ts";
 * const settings: AwsSettings = { region: "us-west-2", timeoutMs: DEFAULT_AWS_TIMEOUT_MS };
 * if (settings.timeoutMs !== 15_000) throw new Error("the default is 15 s");
 * ```
 * @module
 */

/** The default timeout of one AWS call (`--aws-timeout`). */
export const DEFAULT_AWS_TIMEOUT_MS = 15_000;

/** Region, timeout and cancellation of the AWS calls a client makes. */
export interface AwsSettings {
  region: string;
  /**
   * Longest time one call may take, retries included (default
   * {@linkcode DEFAULT_AWS_TIMEOUT_MS}). SQS long polls add their wait time.
   */
  timeoutMs?: number;
  /** Aborts every call of the client when the run is cancelled. */
  signal?: AbortSignal;
}
