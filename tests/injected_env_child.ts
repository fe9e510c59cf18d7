/**
 * A child program for tests/aws_env.test.ts: every AWS client factory, and a
 * short load test (user and monitor workers included), built with the
 * environment given as JSON in `OSML_LOAD_TEST_INJECTED_ENV`, while this
 * process's own environment points the SDK somewhere else. Prints one JSON line.
 * @module
 */
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { ListTopicsCommand } from "@aws-sdk/client-sns";
import { ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ListEndpointsCommand } from "@aws-sdk/client-sagemaker";
import { GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { sqsClient } from "../mod/aws/sqs_client.ts";
import { s3Client } from "../mod/aws/s3_client.ts";
import { snsClient } from "../mod/aws/sns_client.ts";
import { ecsClient } from "../mod/aws/ecs_client.ts";
import { stsClient } from "../mod/aws/sts_client.ts";
import { sageMakerClient } from "../mod/aws/sagemaker_client.ts";
import { createCostExplorerClient } from "../mod/cost/query_costs.ts";
import { resolveRunSettings } from "../mod/config/run_settings.ts";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { RunLog } from "../mod/log/run_log.ts";

const env: Record<string, string> = JSON.parse(Deno.env.get("OSML_LOAD_TEST_INJECTED_ENV")!);
const [bucket, dir] = Deno.args as [string, string];
const aws = { region: "us-west-2", timeoutMs: 10_000, env };

const sqs = sqsClient(aws);
const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "injected-env" }))).QueueUrl;
sqs.destroy();
const s3 = s3Client(aws);
await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "injected-env.txt", Body: "hello" }));
s3.destroy();
const sns = snsClient(aws);
const topics = (await sns.send(new ListTopicsCommand({}))).Topics?.length ?? 0;
sns.destroy();
const ecs = ecsClient(aws);
const families = (await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns?.length;
ecs.destroy();
const sts = stsClient(aws);
const account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
sts.destroy();
const sagemaker = sageMakerClient(aws);
const endpoints = (await sagemaker.send(new ListEndpointsCommand({}))).Endpoints?.length ?? 0;
sagemaker.destroy();
const ce = createCostExplorerClient({ timeoutMs: 10_000, env });
const costs = await ce.send(
  new GetCostAndUsageCommand({
    TimePeriod: { Start: "2026-01-01", End: "2026-01-02" },
    Granularity: "DAILY",
    Metrics: ["BlendedCost"],
  }),
);
ce.destroy();

const result = await runLoadTest(
  resolveRunSettings({
    sourceBucket: `s3://${bucket}`,
    resultBucket: `s3://mr-bucket-sink-${account}`,
    users: "2",
    spawnRate: "10",
    runTime: "2s",
    waitMin: "0.1",
    waitMax: "0.2",
    logDir: `${dir}/logs`,
    waitForCompletion: true,
    completionTimeout: "30s",
  }, env),
  { handleSignals: false, write: () => {}, log: new RunLog({ verbose: false, console: () => {} }) },
);
console.log(JSON.stringify({
  queueUrl,
  topics,
  families,
  account,
  endpoints,
  costPeriods: costs.ResultsByTime?.length ?? 0,
  sent: result.jobs.total_image_sent,
  done: result.jobs.total_image_processed,
  failures: result.failures,
}));
