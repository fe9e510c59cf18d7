import { SQSClient } from "@aws-sdk/client-sqs";
import type { AwsEnv } from "../aws/aws_settings.ts";
import { processEnv } from "../aws/client_config.ts";

/** Where the region came from, for the resolved-configuration printout. */
export type RegionSource =
  | "--aws-region"
  | "REGION"
  | "AWS_DEFAULT_REGION"
  | "AWS_REGION"
  | "profile"
  | "default";

/**
 * Resolve the AWS region: `--aws-region`, then the variables `REGION`,
 * `AWS_DEFAULT_REGION`, `AWS_REGION` in `env` (upstream's order; default the
 * process environment), then the
 * shared config profile, then `us-west-2`. Upstream also asked EC2 instance
 * metadata; this tool does not call endpoints it was not configured for
 * (on ECS/Fargate `AWS_REGION` is set by the platform).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resolveRegion } from "./region.ts";
 * assert.deepEqual(await resolveRegion("eu-west-1"), { region: "eu-west-1", source: "--aws-region" });
 * assert.deepEqual(await resolveRegion(undefined, { AWS_REGION: "eu-north-1" }), {
 *   region: "eu-north-1",
 *   source: "AWS_REGION",
 * });
 * ```
 */
export async function resolveRegion(
  flag: string | undefined,
  env: AwsEnv = processEnv(),
): Promise<{ region: string; source: RegionSource }> {
  if (flag) return { region: flag, source: "--aws-region" };
  for (const name of ["REGION", "AWS_DEFAULT_REGION", "AWS_REGION"] as const) {
    const value = env[name];
    if (value) return { region: value, source: name };
  }
  try {
    const client = new SQSClient({});
    const region = await client.config.region();
    client.destroy();
    if (region) return { region, source: "profile" };
  } catch {
    // No region in the shared config either.
  }
  return { region: "us-west-2", source: "default" };
}
