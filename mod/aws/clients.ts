/**
 * AWS SDK clients, built one way for the whole tool. Every client honours the
 * standard credential chain, `AWS_PROFILE`, and the endpoint settings
 * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` (how the tool is pointed at
 * the simulator or LocalStack); S3 uses path-style addressing whenever an
 * endpoint override is set.
 *
 * @example
 * ```ts
 * import { sqsClient } from "./clients.ts";
 * const sqs = sqsClient({ region: "us-west-2" });
 * sqs.destroy();
 * ```
 * @module
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { S3Client } from "@aws-sdk/client-s3";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { STSClient } from "@aws-sdk/client-sts";

/** What every client needs: the region. */
export interface AwsSettings {
  region: string;
}

/** True when an endpoint override for `service` (e.g. `S3`, `SQS`) is set in the environment. */
export function hasEndpointOverride(service: string): boolean {
  return Boolean(Deno.env.get(`AWS_ENDPOINT_URL_${service}`) || Deno.env.get("AWS_ENDPOINT_URL"));
}

/** An SQS client for `settings.region`. */
export function sqsClient(settings: AwsSettings): SQSClient {
  return new SQSClient({ region: settings.region });
}

/** An S3 client for `settings.region`; path-style when an endpoint override is set. */
export function s3Client(settings: AwsSettings): S3Client {
  return new S3Client({ region: settings.region, forcePathStyle: hasEndpointOverride("S3") });
}

/** An ECS client for `settings.region`. */
export function ecsClient(settings: AwsSettings): ECSClient {
  return new ECSClient({ region: settings.region });
}

/** A SageMaker client for `settings.region`. */
export function sageMakerClient(settings: AwsSettings): SageMakerClient {
  return new SageMakerClient({ region: settings.region });
}

/** An STS client for `settings.region`. */
export function stsClient(settings: AwsSettings): STSClient {
  return new STSClient({ region: settings.region });
}

/**
 * The AWS error code of an SDK error (`QueueDoesNotExist`, `NoSuchBucket`, ...),
 * or the error's name for other errors.
 *
 * @example
 * ```ts
 * import { awsErrorCode } from "./clients.ts";
 * awsErrorCode(new Error("x")); // "Error"
 * ```
 */
export function awsErrorCode(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.Code === "string") return e.Code;
    if (typeof e.name === "string" && e.name !== "Error") return e.name;
    if (typeof e.code === "string") return e.code;
  }
  return error instanceof Error ? error.name : "Error";
}

/** The HTTP status of an SDK error, if it had a response. */
export function awsHttpStatus(error: unknown): number | undefined {
  const meta = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode;
}

/**
 * Describe an error the way Locust's failure table shows a botocore error:
 * `ClientError('An error occurred (Code) when calling the Op operation: message')`.
 *
 * @example
 * ```ts
 * import { describeAwsError } from "./clients.ts";
 * describeAwsError(new Error("boom"), "SendMessage"); // "Error('boom')"
 * ```
 */
export function describeAwsError(error: unknown, operation: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = awsHttpStatus(error);
  if (status !== undefined) {
    const code = awsErrorCode(error);
    return `ClientError('An error occurred (${code}) when calling the ${operation} operation: ${message}')`;
  }
  const name = error instanceof Error ? error.name : "Error";
  return `${name}('${message}')`;
}
