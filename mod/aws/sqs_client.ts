import { SQSClient } from "@aws-sdk/client-sqs";
import type { AwsSettings } from "./aws_settings.ts";
import { withCallDeadline } from "./call_deadline.ts";
import { awsClientConfig } from "./client_config.ts";

/**
 * An SQS client for `settings.region`. Every call has a deadline and the run's cancellation (`timeoutMs`, `signal`). Every client honours the standard credential chain, `AWS_PROFILE`,
 * and the endpoint settings `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>`.
 * One file per service, so a worker loads only the SDK it uses.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { sqsClient } from "./sqs_client.ts";
 * const client = sqsClient({ region: "us-west-2" });
 * assert.equal(await client.config.region(), "us-west-2");
 * client.destroy();
 * ```
 */
export function sqsClient(settings: AwsSettings): SQSClient {
  return withCallDeadline(new SQSClient(awsClientConfig("sqs", settings)), "sqs", settings);
}
