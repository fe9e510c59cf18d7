import { S3Client } from "@aws-sdk/client-s3";
import type { AwsSettings } from "./aws_settings.ts";
import { withCallDeadline } from "./call_deadline.ts";
import { awsClientConfig } from "./client_config.ts";

/**
 * An S3 client for `settings.region`, path-style when an endpoint override is set. Every call has a deadline and the run's cancellation (`timeoutMs`, `signal`). Every client honours the standard credential chain, `AWS_PROFILE`,
 * and the endpoint settings `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>`.
 * One file per service, so a worker loads only the SDK it uses.
 *
 * Response checksums are validated only when an operation requires it
 * (`responseChecksumValidation: "WHEN_REQUIRED"`): the tool reads S3 objects
 * only with ranged GETs (image headers), and a ranged body can never match the
 * whole-object checksum (`Content-MD5`, `x-amz-checksum-*`) that some
 * S3-compatible servers send with it. With the SDK's default (`WHEN_SUPPORTED`)
 * every such read failed with "Checksum mismatch".
 *
 * @example
 * ```ts
 * import { s3Client } from "./s3_client.ts";
 * const s3 = s3Client({ region: "us-west-2" });
 * if (await s3.config.responseChecksumValidation() !== "WHEN_REQUIRED") throw new Error();
 * s3.destroy();
 * ```
 */
export function s3Client(settings: AwsSettings): S3Client {
  return withCallDeadline(
    new S3Client({
      ...awsClientConfig("s3", settings),
      responseChecksumValidation: "WHEN_REQUIRED",
    }),
    "s3",
    settings,
  );
}
