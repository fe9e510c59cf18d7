/**
 * Check an S3 bucket before any load (HeadBucket): a missing bucket, a denied one or any other
 * failure is a {@linkcode UsageError} that names the flag and the fix.
 *
 * @example
 * ```ts ignore
 * await checkBucket(s3, { bucket: "images", prefix: "" }, "--source-bucket");
 * await checkBucket(s3, { bucket: "my-results", prefix: "osml-load/" }, "--results-to", "write");
 * ```
 * @module
 */
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { awsErrorCode, awsHttpStatus } from "../aws/aws_errors.ts";
import { formatS3Url, type S3Location } from "../aws/s3_location.ts";
import { UsageError } from "../usage_error.ts";

/**
 * Check that the bucket of `location` exists and can be listed. `access` says what the run does
 * with it: `"read"` (source and result buckets) or `"write"` (`--results-to`, whose messages
 * name the whole URL and the PutObject permission too).
 */
export async function checkBucket(
  s3: S3Client,
  location: S3Location,
  flag: string,
  access: "read" | "write" = "read",
): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: location.bucket }));
  } catch (error) {
    if (error instanceof UsageError) throw error; // a call that timed out
    const status = awsHttpStatus(error);
    const bucket = location.bucket;
    const where = access === "write" ? `${flag} ${formatS3Url(location)}` : flag;
    if (status === 404) {
      throw new UsageError(
        access === "write"
          ? `S3 bucket '${bucket}' does not exist (${where}): create it, or ` +
            "check the bucket name and the region"
          : `S3 bucket '${bucket}' does not exist: check ${flag} (and the region)`,
      );
    }
    if (status === 403) {
      throw new UsageError(
        access === "write"
          ? `no permission to use S3 bucket '${bucket}' (${where}): grant ` +
            "s3:ListBucket on it and s3:PutObject on the prefix (deploy/iam-policy.json)"
          : `no permission to access S3 bucket '${bucket}' (${flag}): grant s3:ListBucket on it, or use another bucket`,
      );
    }
    throw new UsageError(
      `could not check S3 bucket '${bucket}' (${where}): ${awsErrorCode(error)}: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}
