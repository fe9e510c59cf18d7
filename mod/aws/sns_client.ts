import { SNSClient } from "@aws-sdk/client-sns";
import type { AwsSettings } from "./aws_settings.ts";
import { withCallDeadline } from "./call_deadline.ts";
import { awsClientConfig } from "./client_config.ts";

/**
 * An SNS client for `settings.region`. Every call has a deadline and the run's cancellation (`timeoutMs`, `signal`). Endpoint and static credentials come from
 * `settings.env` (default the process environment; see `awsClientConfig`), else the SDK's
 * default credential chain (`AWS_PROFILE`, SSO, roles) applies.
 * One file per service, so a worker loads only the SDK it uses.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { snsClient } from "./sns_client.ts";
 * const client = snsClient({ region: "us-west-2" });
 * assert.equal(await client.config.region(), "us-west-2");
 * client.destroy();
 * ```
 */
export function snsClient(settings: AwsSettings): SNSClient {
  return withCallDeadline(new SNSClient(awsClientConfig("sns", settings)), "sns", settings);
}
