/**
 * Seed the simulator with what a stock OSML Model Runner deployment has
 * (docs/compatibility.md#stock-deployment): request queue + DLQ, the status SNS topic
 * feeding the status queue (non-raw, with the queue policy that lets the
 * topic send), a source bucket of sample images, a result bucket, the ECS
 * task definition with the CDK container environment, SageMaker endpoints;
 * and for generators on ECS: the `osml-load` task definition (as
 * `deploy/ecs-task-definition.json`) and the clusters `default` and `osml-load`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { startSimulator } from "../simulator.ts";
 * import { seedDeployment } from "./seed.ts";
 * const sim = await startSimulator({ port: 0, seed: false, modelRunner: false });
 * const seeded = await seedDeployment(sim.state);
 * assert.equal(seeded.requestQueueUrl, `http://127.0.0.1:${sim.port}/123456789012/ImageRequestQueue`);
 * await sim.close();
 * ```
 * @module
 */
import { SAMPLE_IMAGES, writeSampleImages } from "../../images/samples.ts";
import type { SimState } from "../aws/sim_state.ts";

/**
 * Stock names of a deployment, as the CDK creates them.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { STOCK_NAMES } from "./seed.ts";
 * assert.equal(STOCK_NAMES.statusQueue, "ImageStatusQueue");
 * ```
 */
export const STOCK_NAMES = {
  requestQueue: "ImageRequestQueue",
  deadLetterQueue: "ImageRequestQueue-dlq",
  statusQueue: "ImageStatusQueue",
  statusTopic: "ImageStatusTopic",
  taskDefinitionFamily: "osml-ModelRunnerDataplaneECSServiceTaskDefinition",
  container: "ModelRunnerContainer",
  generatorTaskDefinitionFamily: "osml-load",
  generatorContainer: "osml-load",
  generatorCluster: "osml-load",
} as const;

/**
 * The SageMaker endpoints a seeded simulator has.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SEEDED_ENDPOINTS } from "./seed.ts";
 * assert.deepEqual(SEEDED_ENDPOINTS.map((e) => e.name), ["centerpoint", "aircraft", "flood", "maintenance"]);
 * ```
 */
export const SEEDED_ENDPOINTS = [
  { name: "centerpoint", status: "InService", instanceType: "ml.g4dn.xlarge", instanceCount: 1 },
  { name: "aircraft", status: "InService", instanceType: "ml.g4dn.2xlarge", instanceCount: 1 },
  { name: "flood", status: "InService", instanceType: "ml.m5.xlarge", instanceCount: 2 },
  { name: "maintenance", status: "Updating", instanceType: "ml.g4dn.xlarge", instanceCount: 1 },
] as const;

/** What {@linkcode seedDeployment} created. */
export interface SeededDeployment {
  requestQueueUrl: string;
  deadLetterQueueUrl: string;
  statusQueueUrl: string;
  /** `arn:aws:sns:<region>:<account>:ImageStatusTopic` (the `IMAGE_STATUS_TOPIC`). */
  statusTopicArn: string;
  /** The status queue's subscription to the status topic. */
  statusSubscriptionArn: string;
  /** `osml-test-images-<account>`. */
  imageBucket: string;
  /** `mr-bucket-sink-<account>`. */
  resultBucket: string;
  /** Keys in the image bucket. */
  imageKeys: string[];
  taskDefinitionArn: string;
  /** The `osml-load` generator task definition (RunTask starts it through the task runner). */
  generatorTaskDefinitionArn: string;
  /** ARNs of the clusters `default` and `osml-load`. */
  clusterArns: string[];
  endpoints: string[];
}

/**
 * The container environment the CDK sets (docs/compatibility.md#stock-deployment), for a
 * region and account.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { stockContainerEnvironment } from "./seed.ts";
 * assert.equal(
 *   stockContainerEnvironment("us-west-2", "123456789012").find((e) => e.name === "IMAGE_QUEUE")?.value,
 *   "https://sqs.us-west-2.amazonaws.com/123456789012/ImageRequestQueue",
 * );
 * ```
 */
export function stockContainerEnvironment(
  region: string,
  account: string,
): { name: string; value: string }[] {
  const queueUrl = (name: string) => `https://sqs.${region}.amazonaws.com/${account}/${name}`;
  return [
    { name: "AWS_DEFAULT_REGION", value: region },
    { name: "DDB_TTL_IN_DAYS", value: "1" },
    { name: "IMAGE_REQUEST_TABLE", value: "ImageRequestTable" },
    { name: "OUTSTANDING_IMAGE_REQUEST_TABLE", value: "OutstandingImageRequestsTable" },
    { name: "FEATURE_TABLE", value: "ImageProcessingFeatures" },
    { name: "ENDPOINT_TABLE", value: "EndpointStatistics" },
    { name: "REGION_REQUEST_TABLE", value: "RegionProcessingJobStatus" },
    { name: "IMAGE_QUEUE", value: queueUrl(STOCK_NAMES.requestQueue) },
    { name: "IMAGE_DLQ", value: queueUrl(STOCK_NAMES.deadLetterQueue) },
    { name: "REGION_QUEUE", value: queueUrl("RegionRequestQueue") },
    { name: "AWS_S3_ENDPOINT", value: `https://s3.${region}.amazonaws.com` },
    { name: "WORKERS_PER_CPU", value: "2" },
    { name: "WORKERS", value: "4" },
    { name: "REGION_SIZE", value: "(8192, 8192)" },
    {
      name: "IMAGE_STATUS_TOPIC",
      value: `arn:aws:sns:${region}:${account}:${STOCK_NAMES.statusTopic}`,
    },
  ];
}

/**
 * Create the stock deployment in `state`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { startSimulator } from "../simulator.ts";
 * import { seedDeployment } from "./seed.ts";
 * const sim = await startSimulator({ port: 0, seed: false, modelRunner: false });
 * assert.equal((await seedDeployment(sim.state)).imageBucket, "osml-test-images-123456789012");
 * await sim.close();
 * ```
 */
export async function seedDeployment(state: SimState): Promise<SeededDeployment> {
  const { region, account } = state;
  const request = state.createQueue(STOCK_NAMES.requestQueue, {
    visibilityTimeout: 300,
    deadLetterQueue: STOCK_NAMES.deadLetterQueue,
    maxReceiveCount: 3,
  });
  const dlq = state.queue(STOCK_NAMES.deadLetterQueue);
  const status = state.createQueue(STOCK_NAMES.statusQueue, {
    visibilityTimeout: 900,
    messageRetentionPeriod: 86_400,
  });
  const topic = state.createTopic(STOCK_NAMES.statusTopic);
  const subscription = state.subscribeQueue(STOCK_NAMES.statusTopic, STOCK_NAMES.statusQueue);
  const imageBucket = `osml-test-images-${account}`;
  const resultBucket = `mr-bucket-sink-${account}`;
  state.createBucket(imageBucket);
  state.createBucket(resultBucket);
  const tmp = `${state.s3.dataDir}/.samples-${crypto.randomUUID()}`;
  await Deno.mkdir(tmp, { recursive: true });
  try {
    await writeSampleImages(tmp);
    for (const sample of SAMPLE_IMAGES) {
      await state.s3.adoptFile(imageBucket, sample.key, `${tmp}/${sample.key}`, {
        contentType: contentTypeOf(sample.key),
      });
    }
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  const td = state.registerTaskDefinition({
    family: STOCK_NAMES.taskDefinitionFamily,
    containerDefinitions: [{
      name: STOCK_NAMES.container,
      image: `${account}.dkr.ecr.${region}.amazonaws.com/osml-model-runner:latest`,
      essential: true,
      environment: stockContainerEnvironment(region, account),
    }],
    cpu: "8192",
    memory: "16384",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
  });
  const generator = state.registerTaskDefinition({
    family: STOCK_NAMES.generatorTaskDefinitionFamily,
    containerDefinitions: [{
      name: STOCK_NAMES.generatorContainer,
      image: `${account}.dkr.ecr.${region}.amazonaws.com/osml-load:latest`,
      essential: true,
      command: ["run", "--headless"],
      environment: [
        { name: "AWS_REGION", value: region },
        { name: "S3_LOAD_TEST_SOURCE_IMAGE_BUCKET", value: `s3://${imageBucket}` },
        { name: "S3_LOAD_TEST_RESULT_BUCKET", value: `s3://${resultBucket}` },
        { name: "SM_LOAD_TEST_MODEL", value: "centerpoint" },
        { name: "TASK_DEFINITION_PATTERN", value: "ModelRunnerDataplane" },
      ],
      stopTimeout: 120,
      linuxParameters: { initProcessEnabled: true },
    }],
    cpu: "2048",
    memory: "4096",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: `arn:aws:iam::${account}:role/osml-load-execution`,
    taskRoleArn: `arn:aws:iam::${account}:role/osml-load-task`,
  });
  const clusters = [
    state.createCluster("default"),
    state.createCluster(STOCK_NAMES.generatorCluster),
  ];
  for (const e of SEEDED_ENDPOINTS) {
    state.addEndpoint({
      name: e.name,
      status: e.status,
      instanceType: e.instanceType,
      instanceCount: e.instanceCount,
    });
  }
  return {
    requestQueueUrl: request.url,
    deadLetterQueueUrl: dlq.url,
    statusQueueUrl: status.url,
    statusTopicArn: topic.arn,
    statusSubscriptionArn: subscription.arn,
    imageBucket,
    resultBucket,
    imageKeys: SAMPLE_IMAGES.map((s) => s.key),
    taskDefinitionArn: td.taskDefinitionArn,
    generatorTaskDefinitionArn: generator.taskDefinitionArn,
    clusterArns: clusters.map((c) => c.clusterArn),
    endpoints: SEEDED_ENDPOINTS.map((e) => e.name),
  };
}

function contentTypeOf(key: string): string {
  const ext = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
  switch (ext) {
    case "tif":
    case "tiff":
      return "image/tiff";
    case "png":
      return "image/png";
    case "jpg":
    case "jpeg":
      return "image/jpeg";
    case "ntf":
    case "nitf":
      return "application/vnd.nitf";
    case "txt":
      return "text/plain";
    default:
      return "application/octet-stream";
  }
}
