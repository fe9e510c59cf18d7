import { STSClient } from "@aws-sdk/client-sts";
import type { AwsSettings } from "./aws_settings.ts";
import { withCallDeadline } from "./call_deadline.ts";
import { awsClientConfig } from "./client_config.ts";

/**
 * An STS client for `settings.region`. Every call has a deadline and the run's cancellation (`timeoutMs`, `signal`). Every client honours the standard credential chain, `AWS_PROFILE`,
 * and the endpoint settings `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>`.
 * One file per service, so a worker loads only the SDK it uses.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { stsClient } from "./sts_client.ts";
 * const client = stsClient({ region: "us-west-2" });
 * assert.equal(await client.config.region(), "us-west-2");
 * client.destroy();
 * ```
 */
export function stsClient(settings: AwsSettings): STSClient {
  return withCallDeadline(new STSClient(awsClientConfig("sts", settings)), "sts", settings);
}
