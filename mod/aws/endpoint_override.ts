/**
 * True when an endpoint override for `service` (e.g. `S3`, `SQS`) is set in the
 * environment (`AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL`), which is how
 * the tool is pointed at the simulator or LocalStack.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { hasEndpointOverride } from "./endpoint_override.ts";
 * Deno.env.set("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:4566");
 * assert.equal(hasEndpointOverride("S3"), true);
 * Deno.env.delete("AWS_ENDPOINT_URL_S3");
 * ```
 */
export function hasEndpointOverride(service: string): boolean {
  return Boolean(Deno.env.get(`AWS_ENDPOINT_URL_${service}`) || Deno.env.get("AWS_ENDPOINT_URL"));
}
