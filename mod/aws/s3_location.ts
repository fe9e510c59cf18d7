import { UsageError } from "../usage_error.ts";

/** A bucket and key prefix, parsed from `s3://bucket/prefix`, `bucket`, or `bucket/prefix`. */
export interface S3Location {
  bucket: string;
  /** Key prefix without a leading `/`; may be empty. */
  prefix: string;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parse an S3 location. Accepts `s3://bucket`, `s3://bucket/prefix/`, `bucket`,
 * `bucket/prefix`, and the virtual-hosted / path-style HTTPS forms. Throws a
 * {@linkcode UsageError} naming the flag when the bucket name is not valid.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseS3Location } from "./s3_location.ts";
 * assert.deepEqual(parseS3Location("s3://images/set-1/", "--source-bucket"), { bucket: "images", prefix: "set-1/" });
 * ```
 */
export function parseS3Location(text: string, flag: string): S3Location {
  let rest = text.trim();
  const https = /^https?:\/\/([^/]+)\/?(.*)$/i.exec(rest);
  if (https) {
    const host = https[1]!;
    const path = https[2] ?? "";
    const virtual = /^(.+)\.s3[.-]/.exec(host);
    if (virtual) rest = `${virtual[1]}/${path}`;
    else rest = path;
  } else {
    rest = rest.replace(/^s3:\/\//i, "");
  }
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? "" : rest.slice(slash + 1).replace(/^\/+/, "");
  if (!BUCKET_NAME.test(bucket)) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not an S3 bucket: give s3://BUCKET or s3://BUCKET/PREFIX`,
    );
  }
  return { bucket, prefix };
}

/**
 * Format a location back as an `s3://` URL.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatS3Url } from "./s3_location.ts";
 * assert.equal(formatS3Url({ bucket: "b", prefix: "p/" }), "s3://b/p/");
 * ```
 */
export function formatS3Url(location: S3Location): string {
  return `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ""}`;
}
