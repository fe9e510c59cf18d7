import type { AwsEnv } from "./aws_settings.ts";
import { endpointOverride, processEnv } from "./client_config.ts";

/**
 * True when an endpoint override for `service` (e.g. `S3`, `SQS`) is set in
 * `env` (`AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL`; default the
 * process environment), which is how the tool is pointed at the simulator or
 * LocalStack.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { hasEndpointOverride } from "./endpoint_override.ts";
 * assert.equal(hasEndpointOverride("S3", { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:4566" }), true);
 * assert.equal(hasEndpointOverride("S3", { AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:4566" }), false);
 * ```
 */
export function hasEndpointOverride(service: string, env: AwsEnv = processEnv()): boolean {
  return endpointOverride(service, env) !== undefined;
}
