/**
 * Discover the deployed Model Runner once per run (docs/compatibility.md#discovery):
 * region, the ECS task definition's container environment, queue names,
 * the status topic (`IMAGE_STATUS_TOPIC`, or `--mr-status-topic`), account. `--aws-region`, `--aws-account` and `--mr-input-queue` apply
 * everywhere (upstream ignored them in places: docs/compatibility.md#fix-flags-everywhere,
 * docs/compatibility.md#fix-discovery-once).
 *
 * @example
 * Not run as a test: it reads ECS, SQS and STS in the AWS account the environment names
 * ({@linkcode findTaskDefinition} shows the search on the simulator).
 * ```ts ignore
 * import { RunLog } from "../log/run_log.ts";
 * import { discoverDeployment } from "./deployment.ts";
 * const log = new RunLog({ verbose: false });
 * const deployment = await discoverDeployment({ taskDefinitionPattern: "ModelRunnerDataplane" }, log);
 * console.log(deployment.imageQueueName); // ImageRequestQueue
 * ```
 * @module
 */
import type { AwsSettings } from "../aws/aws_settings.ts";
import { AwsTimeoutError } from "../aws/call_deadline.ts";
import { processEnv } from "../aws/client_config.ts";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { awsErrorCode } from "../aws/aws_errors.ts";
import { ecsClient } from "../aws/ecs_client.ts";
import { stsClient } from "../aws/sts_client.ts";
import { UsageError } from "../usage_error.ts";
import type { RunLog } from "../log/run_log.ts";
import { resolveRegion } from "./region.ts";
import { accountFromArn, findTaskDefinition } from "./task_definition.ts";
import { deriveStatusQueueName, queueNameFromUrl } from "./queue_names.ts";
import { topicArnOf } from "./topic_arn.ts";

/** What the run talks to. */
export interface Deployment {
  region: string;
  regionSource: string;
  account: string;
  accountSource: "--aws-account" | "task definition" | "ACCOUNT" | "STS";
  /** The matched task definition, `family:revision`, if one was found. */
  taskDefinition: string | undefined;
  imageQueueName: string;
  imageQueueSource: "--mr-input-queue" | "task definition";
  statusQueueName: string;
  statusQueueSource:
    | "--mr-status-queue"
    | "SQS_IMAGE_STATUS_QUEUE"
    | "IMAGE_STATUS_QUEUE"
    | "derived";
  /**
   * The SNS topic Model Runner publishes job status to (it feeds the status queue); undefined
   * when neither the task definition's `IMAGE_STATUS_TOPIC` nor `--mr-status-topic` names it.
   */
  statusTopicArn: string | undefined;
  /** Where {@linkcode Deployment.statusTopicArn} came from; undefined when it is unknown. */
  statusTopicSource: "--mr-status-topic" | "IMAGE_STATUS_TOPIC" | undefined;
  /** `KINESIS_RESULTS_STREAM_PREFIX` from the container, else `mr-stream-sink`. */
  kinesisPrefix: string;
}

/** Inputs of {@linkcode discoverDeployment}. */
export interface DiscoveryInput {
  awsRegion?: string | undefined;
  awsAccount?: string | undefined;
  inputQueue?: string | undefined;
  statusQueue?: string | undefined;
  /** `--mr-status-topic`: a topic ARN or name (completed with the region and account). */
  statusTopic?: string | undefined;
  taskDefinitionPattern: string;
}

const LOGGER = "osml_load.discovery";

/**
 * Discover the deployment; throws UsageError when it cannot work. The region
 * (`REGION`, `AWS_DEFAULT_REGION`, `AWS_REGION`), `ACCOUNT` and the clients'
 * endpoints and credentials come from `aws.env` (default the process environment).
 */
export async function discoverDeployment(
  input: DiscoveryInput,
  log: RunLog,
  aws: Omit<AwsSettings, "region"> = {},
): Promise<Deployment> {
  const runEnv = aws.env ?? processEnv();
  const { region, source: regionSource } = await resolveRegion(input.awsRegion, runEnv);
  log.info(LOGGER, `Searching for task definition: ${input.taskDefinitionPattern} in ${region}`);
  let found: Awaited<ReturnType<typeof findTaskDefinition>>;
  const ecs = ecsClient({ region, ...aws });
  try {
    found = await findTaskDefinition(ecs, input.taskDefinitionPattern);
  } catch (error) {
    if (error instanceof AwsTimeoutError || aws.signal?.aborted) throw error;
    if (!input.inputQueue) {
      throw new UsageError(
        `could not read ECS task definitions in ${region} (${awsErrorCode(error)}: ${
          error instanceof Error ? error.message : String(error)
        }): grant ecs:ListTaskDefinitions and ecs:DescribeTaskDefinition, or pass --mr-input-queue`,
      );
    }
    log.warn(LOGGER, `ECS discovery failed (${awsErrorCode(error)}); using --mr-input-queue`);
  } finally {
    ecs.destroy();
  }
  if (found) {
    log.info(LOGGER, `Found ${found.matches} matching task definition(s)`);
    log.info(LOGGER, `Found task definition: ${found.familyRevision}`);
    log.info(
      LOGGER,
      `Imported ${
        Object.keys(found.environment).length
      } environment variables from container ${found.containerName}`,
    );
  }
  const env = found?.environment ?? {};
  const containerQueue = env.IMAGE_QUEUE ? queueNameFromUrl(env.IMAGE_QUEUE) : undefined;
  // A queue URL is as good as its name (the last path segment), as in the task definition.
  const imageQueueName = (input.inputQueue && queueNameFromUrl(input.inputQueue)) ?? containerQueue;
  if (!imageQueueName) {
    throw new UsageError(
      found
        ? `task definition ${found.familyRevision} has no IMAGE_QUEUE variable: pass --mr-input-queue`
        : `no ECS task definition matches "${input.taskDefinitionPattern}" in ${region} and --mr-input-queue was not given: deploy Model Runner, set TASK_DEFINITION_PATTERN, or pass --mr-input-queue`,
    );
  }
  let statusQueueName: string;
  let statusQueueSource: Deployment["statusQueueSource"];
  if (input.statusQueue) {
    statusQueueName = queueNameFromUrl(input.statusQueue);
    statusQueueSource = "--mr-status-queue";
  } else if (env.SQS_IMAGE_STATUS_QUEUE) {
    statusQueueName = queueNameFromUrl(env.SQS_IMAGE_STATUS_QUEUE);
    statusQueueSource = "SQS_IMAGE_STATUS_QUEUE";
  } else if (env.IMAGE_STATUS_QUEUE) {
    statusQueueName = queueNameFromUrl(env.IMAGE_STATUS_QUEUE);
    statusQueueSource = "IMAGE_STATUS_QUEUE";
  } else {
    statusQueueName = deriveStatusQueueName(imageQueueName);
    statusQueueSource = "derived";
  }
  let account: string | undefined = input.awsAccount;
  let accountSource: Deployment["accountSource"] = "--aws-account";
  if (!account && found) {
    account = accountFromArn(found.arn);
    accountSource = "task definition";
  }
  if (!account && runEnv.ACCOUNT) {
    account = runEnv.ACCOUNT;
    accountSource = "ACCOUNT";
  }
  if (!account) {
    const sts = stsClient({ region, ...aws });
    try {
      account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
      accountSource = "STS";
    } catch (error) {
      if (error instanceof AwsTimeoutError || aws.signal?.aborted) throw error;
      throw new UsageError(
        `could not determine the AWS account (STS ${
          awsErrorCode(error)
        }): check your credentials or pass --aws-account`,
      );
    } finally {
      sts.destroy();
    }
  }
  if (!account) {
    throw new UsageError("could not determine the AWS account: pass --aws-account");
  }
  let statusTopicArn: string | undefined;
  let statusTopicSource: Deployment["statusTopicSource"];
  if (input.statusTopic) {
    statusTopicArn = topicArnOf(input.statusTopic, region, account);
    statusTopicSource = "--mr-status-topic";
  } else if (env.IMAGE_STATUS_TOPIC) {
    try {
      statusTopicArn = topicArnOf(env.IMAGE_STATUS_TOPIC, region, account, "IMAGE_STATUS_TOPIC");
      statusTopicSource = "IMAGE_STATUS_TOPIC";
    } catch (error) {
      // An odd value only costs the private subscription: say so and carry on.
      log.warn(LOGGER, `${(error as Error).message}; the status topic is treated as unknown`);
    }
  }
  return {
    region,
    regionSource,
    account,
    accountSource,
    taskDefinition: found?.familyRevision,
    imageQueueName,
    imageQueueSource: input.inputQueue ? "--mr-input-queue" : "task definition",
    statusQueueName,
    statusQueueSource,
    statusTopicArn,
    statusTopicSource,
    kinesisPrefix: env.KINESIS_RESULTS_STREAM_PREFIX ?? "mr-stream-sink",
  };
}
