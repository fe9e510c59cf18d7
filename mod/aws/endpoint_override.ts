/**
 * True when an endpoint override for `service` (e.g. `S3`, `SQS`) is set in the
 * environment (`AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL`), which is how
 * the tool is pointed at the simulator or LocalStack.
 *
 * @example
 * ```ts
 * import { hasEndpointOverride } from "./endpoint_override.ts";
 * hasEndpointOverride("S3"); // false unless AWS_ENDPOINT_URL(_S3) is set
 * ```
 */
export function hasEndpointOverride(service: string): boolean {
  return Boolean(Deno.env.get(`AWS_ENDPOINT_URL_${service}`) || Deno.env.get("AWS_ENDPOINT_URL"));
}
