/**
 * Everything a run needs before the first user starts, computed apart from
 * running it: discovery, start-up validation (one clear line and exit 2 per
 * problem), the image catalog, the load shape, and the worker plan. `--dry-run`
 * prints the result and stops here.
 *
 * @example
 * Not run as a test: it discovers the deployment in the AWS account the environment names.
 * ```ts ignore
 * import { prepareRun } from "./prepare_run.ts";
 * const prepared = await prepareRun(settings, log);
 * console.log(formatPlan(prepared));
 * ```
 * @module
 */
import { GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import {
  DescribeEndpointConfigCommand,
  ListEndpointConfigsCommand,
} from "@aws-sdk/client-sagemaker";
import { awsErrorCode } from "../aws/aws_errors.ts";
import type { AwsSettings } from "../aws/aws_settings.ts";
import { AwsTimeoutError } from "../aws/call_deadline.ts";
import { s3Client } from "../aws/s3_client.ts";
import { sageMakerClient } from "../aws/sagemaker_client.ts";
import { sqsClient } from "../aws/sqs_client.ts";
import { UsageError } from "../usage_error.ts";
import type { RunLog } from "../log/run_log.ts";
import type { RunSettings } from "../config/run_settings.ts";
import { formatS3Url } from "../aws/s3_location.ts";
import { type Deployment, discoverDeployment } from "../discovery/deployment.ts";
import { buildImageCatalog } from "../images/image_catalog.ts";
import type { ImageInfo } from "../images/image_info.ts";
import { progressBar } from "../log/progress.ts";
import type { LoadShape } from "../shapes/load_shape.ts";
import { buildShape } from "../shapes/build_shape.ts";
import { IMAGE_EXTENSIONS } from "../images/extensions.ts";
import { planWorkers } from "./worker_plan.ts";
import { checkBucket } from "../discovery/bucket_check.ts";
import { gatherUserInputs, type UserInputs } from "../users/user_inputs.ts";
import { newRunPrefix } from "../requests/image_request.ts";
import { planStatusSource } from "./status_source.ts";

/** A run, ready to start. */
export interface PreparedRun {
  settings: RunSettings;
  deployment: Deployment;
  queueUrl: string;
  /** The shared status queue's URL; not resolved with `--status-source subscription`. */
  statusQueueUrl: string | undefined;
  /**
   * The run id: 8 random hex characters that start every job id of the run and name its private
   * status queue (`osml-load-<run id>`).
   */
  runId: string;
  images: ImageInfo[];
  shape: LoadShape;
  /** User workers to start. */
  workerCount: number;
  /** Endpoint instance type of `--model-name`, for the log (`Unknown` if not found). */
  instanceType: string;
  /** Inputs of the user kinds (endpoints, request file, ...). */
  userInputs: UserInputs;
  /** Label/value pairs describing the run, for printouts and reports. */
  configuration: Array<[string, string]>;
}

const LOGGER = "osml_load.setup";

/** Resolve a queue URL by name and owner account; a missing queue is a usage error. */
export async function queueUrlOf(
  sqs: SQSClient,
  name: string,
  account: string,
  what: string,
  hint: string,
): Promise<string> {
  try {
    const response = await sqs.send(
      new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
    );
    if (!response.QueueUrl) throw new Error("GetQueueUrl returned no URL");
    return response.QueueUrl;
  } catch (error) {
    if (error instanceof AwsTimeoutError) throw error;
    const code = awsErrorCode(error);
    if (code === "QueueDoesNotExist" || code === "AWS.SimpleQueueService.NonExistentQueue") {
      throw new UsageError(`${what} '${name}' not found in account ${account}: ${hint}`);
    }
    throw new UsageError(
      `could not resolve ${what} '${name}' (${code}: ${
        error instanceof Error ? error.message : String(error)
      }): check credentials and region`,
    );
  }
}

async function instanceTypeOf(
  region: string,
  model: string,
  aws: Omit<AwsSettings, "region">,
): Promise<string> {
  const sagemaker = sageMakerClient({ region, ...aws });
  try {
    const configs = await sagemaker.send(new ListEndpointConfigsCommand({ NameContains: model }));
    const name = configs.EndpointConfigs?.[0]?.EndpointConfigName;
    if (!name) return "Unknown";
    const config = await sagemaker.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: name }),
    );
    return config.ProductionVariants?.[0]?.InstanceType ?? "Unknown";
  } catch (error) {
    if (error instanceof AwsTimeoutError || aws.signal?.aborted) throw error;
    return "Unknown";
  } finally {
    sagemaker.destroy();
  }
}

/**
 * Discover, validate, list images, and plan the run. The AWS clients read
 * `aws.env`, default the run's environment (`settings.env`).
 */
export async function prepareRun(
  settings: RunSettings,
  log: RunLog,
  awsSettings: Omit<AwsSettings, "region"> = {},
): Promise<PreparedRun> {
  const aws = { ...awsSettings, env: awsSettings.env ?? settings.env };
  const deployment = await discoverDeployment(settings, log, aws);
  const { region, account } = deployment;
  const runId = newRunPrefix();
  const statusRows = planStatusSource({
    requested: settings.statusSource,
    runId,
    topicArn: deployment.statusTopicArn,
    topicSource: deployment.statusTopicSource,
    sharedQueueName: deployment.statusQueueName,
    keepForeign: settings.keepForeignStatus,
  });
  const s3 = s3Client({ region, ...aws });
  const sqs = sqsClient({ region, ...aws });
  try {
    if (settings.sourceBucket) await checkBucket(s3, settings.sourceBucket, "--source-bucket");
    if (settings.resultBucket) await checkBucket(s3, settings.resultBucket, "--result-bucket");
    if (settings.resultsTo) await checkBucket(s3, settings.resultsTo, "--results-to", "write");
    const queueUrl = await queueUrlOf(
      sqs,
      deployment.imageQueueName,
      account,
      "request queue",
      "check --mr-input-queue or the task definition's IMAGE_QUEUE, and --aws-account",
    );
    const statusQueueUrl = settings.statusSource === "subscription" ? undefined : await queueUrlOf(
      sqs,
      deployment.statusQueueName,
      account,
      "status queue",
      "pass --mr-status-queue with the queue subscribed to the image status topic",
    );
    let images: ImageInfo[] = [];
    if (settings.sourceBucket) {
      const source = settings.sourceBucket;
      let bar: ReturnType<typeof progressBar> | undefined;
      try {
        images = await buildImageCatalog(s3, source, {
          warn: (message) => log.warn(LOGGER, message),
          onProgress: (done, total) => {
            bar ??= progressBar("Reading image headers", total, 20);
            bar.update(done);
          },
        });
      } finally {
        bar?.stop();
      }
      if (images.length === 0) {
        throw new UsageError(
          `no images found in ${formatS3Url(source)} (looked for ${
            IMAGE_EXTENSIONS.join(" ")
          }): upload test images there or check --source-bucket`,
        );
      }
      log.info(LOGGER, `Found ${images.length} image(s) in ${formatS3Url(source)}`);
    }
    const userInputs = await gatherUserInputs(settings, deployment, log, aws);
    const instanceType = await instanceTypeOf(region, settings.modelName, aws);
    const shape = buildShape(settings.shape, settings);
    const plan = shape.plan();
    const peakUsers = Math.max(1, ...plan.map((row) => row.users ?? 0));
    const rates = plan.flatMap((row) => (row.rate !== undefined ? [row.rate] : []));
    const workerCount = planWorkers({
      peakUsers,
      waitMinS: settings.waitMinS,
      waitMaxS: settings.waitMaxS,
      ...(rates.length ? { peakRate: Math.max(...rates) } : {}),
      maxWorkers: settings.maxWorkers,
    });
    const configuration: Array<[string, string]> = [
      ["Region", `${region} (${deployment.regionSource})`],
      ["Account", `${account} (${deployment.accountSource})`],
      ["Task definition", deployment.taskDefinition ?? "(none)"],
      ["Request queue", `${deployment.imageQueueName} (${deployment.imageQueueSource})`],
      ["Status queue", `${deployment.statusQueueName} (${deployment.statusQueueSource})`],
      ["Source", settings.sourceBucket ? formatS3Url(settings.sourceBucket) : "(none)"],
      ["Results", settings.resultBucket ? formatS3Url(settings.resultBucket) : "(none)"],
      ["Model", `${settings.modelName} (${instanceType})`],
      ["User classes", settings.userMix.map((m) => `${m.kind}:${m.weight}`).join(",")],
      ["Users", String(settings.users)],
      ["Spawn rate", `${settings.spawnRate}/s`],
      ["Shape", `${shape.name} (${shape.durationS ?? "until stopped"} s)`],
      ["Images", String(images.length)],
      ...userInputRows(settings, userInputs),
      ["Workers", `${workerCount} (max ${settings.maxWorkers})`],
      [
        "Wait for completion",
        settings.waitForCompletion ? `yes (timeout ${settings.completionTimeoutS} s)` : "no",
      ],
      ...statusRows,
    ];
    return {
      settings,
      deployment,
      queueUrl,
      statusQueueUrl,
      runId,
      images,
      shape,
      workerCount,
      instanceType,
      userInputs,
      configuration,
    };
  } finally {
    s3.destroy();
    sqs.destroy();
  }
}

/** Configuration rows for the inputs of the predefined and random user kinds. */
function userInputRows(settings: RunSettings, inputs: UserInputs): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const kinds = new Set(settings.userMix.map((m) => m.kind));
  if (kinds.has("predefined")) {
    rows.push([
      "Request file",
      `${settings.requestFile ?? "(none)"} (${inputs.predefinedRequests.length} request(s))`,
    ]);
  }
  if (kinds.has("random")) {
    rows.push(["Endpoints", inputs.endpoints.join(", ") || "(none)"]);
    rows.push(["Random images", String(inputs.randomImages.length)]);
  }
  if (kinds.has("predefined") || kinds.has("random")) {
    rows.push(["Test results", inputs.testResultsLocation]);
  }
  return rows;
}

/** The resolved configuration and plan as printable lines (`--dry-run`). */
export function formatPlan(prepared: PreparedRun): string[] {
  const width = Math.max(...prepared.configuration.map(([label]) => label.length));
  const lines = ["Resolved configuration:"];
  for (const [label, value] of prepared.configuration) {
    lines.push(`  ${label.padEnd(width)}  ${value}`);
  }
  lines.push("", `Plan (shape: ${prepared.shape.name}):`, "  time (s)  users  rate/s  note");
  for (const row of prepared.shape.plan()) {
    lines.push(
      `  ${String(row.atS).padStart(8)}  ${String(row.users ?? "").padStart(5)}  ${
        String(row.rate ?? "").padStart(6)
      }  ${row.note ?? ""}`,
    );
  }
  if (prepared.images.length) {
    lines.push("", "Images (first 10):", "  pixels        bytes  url");
    for (const image of prepared.images.slice(0, 10)) {
      lines.push(
        `  ${String(image.pixels ?? "unknown").padStart(12)}  ${
          String(image.size).padStart(11)
        }  ${image.url}`,
      );
    }
  }
  return lines;
}
