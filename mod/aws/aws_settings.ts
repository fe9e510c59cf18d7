/**
 * What every AWS client needs: the region, how long one call may take, and
 * the environment it reads its endpoint and static credentials from.
 *
 * @example
 * ```ts
 * import { type AwsSettings, DEFAULT_AWS_TIMEOUT_MS } from "./aws_settings.ts";
 * const settings: AwsSettings = {
 *   region: "us-west-2",
 *   timeoutMs: DEFAULT_AWS_TIMEOUT_MS,
 *   env: { AWS_ENDPOINT_URL: "http://127.0.0.1:4566" },
 * };
 * if (settings.timeoutMs !== 15_000) throw new Error("the default is 15 s");
 * ```
 * @module
 */

/** The default timeout of one AWS call (`--aws-timeout`). */
export const DEFAULT_AWS_TIMEOUT_MS = 15_000;

/** Environment variables by name, as `Deno.env.toObject()` gives them. */
export type AwsEnv = Readonly<Record<string, string | undefined>>;

/** Region, timeout, cancellation and environment of the AWS calls a client makes. */
export interface AwsSettings {
  region: string;
  /**
   * Longest time one call may take, retries included (default
   * {@linkcode DEFAULT_AWS_TIMEOUT_MS}). SQS long polls add their wait time.
   */
  timeoutMs?: number;
  /** Aborts every call of the client when the run is cancelled. */
  signal?: AbortSignal;
  /**
   * The environment the AWS clients read: endpoint overrides `AWS_ENDPOINT_URL` /
   * `AWS_ENDPOINT_URL_<SERVICE>`, static credentials `AWS_ACCESS_KEY_ID` /
   * `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`; default the process environment.
   * Without static credentials in it the SDK's default chain (profiles, SSO, ECS and
   * instance roles) finds them, as always.
   */
  env?: AwsEnv;
}
