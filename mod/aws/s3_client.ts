import { S3Client } from "@aws-sdk/client-s3";
import { hasEndpointOverride } from "./endpoint_override.ts";
import type { AwsSettings } from "./aws_settings.ts";
import { withCallDeadline } from "./call_deadline.ts";

/**
 * An S3 client for `settings.region`, path-style when an endpoint override is set. Every call has a deadline and the run's cancellation (`timeoutMs`, `signal`). Every client honours the standard credential chain, `AWS_PROFILE`,
 * and the endpoint settings `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>`.
 * One file per service, so a worker loads only the SDK it uses.
 *
 * @example
 * ```ts
 * import { s3Client } from "./s3_client.ts";
 * s3Client({ region: "us-west-2" }).destroy();
 * ```
 */
export function s3Client(settings: AwsSettings): S3Client {
  return withCallDeadline(
    new S3Client({ region: settings.region, forcePathStyle: hasEndpointOverride("S3") }),
    "s3",
    settings,
  );
}
