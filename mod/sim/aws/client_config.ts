/**
 * The AWS SDK v3 client configuration that points a client at a running
 * simulator: its endpoint and region, static test credentials, and (for S3)
 * path-style addressing. Spread it into any `new XxxClient({...})`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
 * import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
 * import { simClientConfig } from "./client_config.ts";
 * import { startSimulator } from "../simulator.ts";
 * const sim = await startSimulator({ port: 0 });
 * const sqs = new SQSClient(simClientConfig(sim));
 * const s3 = new S3Client({ ...simClientConfig(sim), forcePathStyle: true });
 * const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "ImageRequestQueue" }));
 * assert.equal(QueueUrl, sim.seeded?.requestQueueUrl);
 * const listing = await s3.send(new ListObjectsV2Command({ Bucket: sim.seeded!.imageBucket }));
 * assert.equal(listing.KeyCount, 14); // the sample images
 * sqs.destroy();
 * s3.destroy();
 * await sim.close();
 * ```
 * @module
 */

/** The SDK client settings for a simulator at `endpoint` in `region`. */
export interface SimClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Client settings for a simulator (anything with `endpoint` and `region`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { simClientConfig } from "./client_config.ts";
 * assert.equal(simClientConfig({ endpoint: "http://127.0.0.1:4566", region: "us-west-2" }).credentials.accessKeyId, "test");
 * ```
 */
export function simClientConfig(sim: { endpoint: string; region: string }): SimClientConfig {
  return {
    endpoint: sim.endpoint,
    region: sim.region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
}
