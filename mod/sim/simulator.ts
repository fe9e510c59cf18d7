/**
 * The embedded AWS + Model Runner simulator: one local HTTP server
 * (127.0.0.1) that speaks the AWS wire protocols as AWS SDK for JavaScript v3
 * sends them, for the operations osml-load uses, plus simulated Model Runner
 * workers. Routing: `X-Amz-Target` prefix (`AmazonSQS.` JSON 1.0,
 * `AmazonEC2ContainerServiceV20141113.`, `SageMaker.`,
 * `AWSInsightsIndexService.` JSON 1.1); a form body with `Action=` (AWS
 * Query) goes to SNS when the SigV4 credential scope names `sns` (or the
 * action is an SNS one) and to STS otherwise; everything else is S3 REST
 * path-style. ECS RunTask starts tasks through the `taskRunner` option. Requests without an `Authorization`
 * header are refused as AWS refuses them; signatures are not verified.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
 * import { startSimulator } from "./simulator.ts";
 * const sim = await startSimulator({ port: 0 });
 * const sqs = new SQSClient({
 *   endpoint: sim.endpoint, region: sim.region,
 *   credentials: { accessKeyId: "test", secretAccessKey: "test" },
 * });
 * const { QueueUrls } = await sqs.send(new ListQueuesCommand({}));
 * assert.deepEqual(QueueUrls, [
 *   `${sim.endpoint}/123456789012/ImageRequestQueue`,
 *   `${sim.endpoint}/123456789012/ImageRequestQueue-dlq`,
 *   `${sim.endpoint}/123456789012/ImageStatusQueue`,
 * ]);
 * sqs.destroy();
 * await sim.close();
 * ```
 * @module
 */
import { AwsError } from "./aws/aws_error.ts";
import { handleCostExplorer } from "./aws/cost_explorer.ts";
import { handleEcs } from "./aws/ecs_api.ts";
import type { TaskRunner } from "./aws/ecs_tasks.ts";
import { type FaultAction, FaultInjector, type FaultOptions } from "./aws/faults.ts";
import {
  ModelRunner,
  type ModelRunnerCounters,
  type ModelRunnerOptions,
} from "./model_runner/model_runner.ts";
import {
  jsonErrorResponse,
  jsonResponse,
  queryErrorResponse,
  s3ErrorResponse,
  toAwsError,
} from "./aws/wire_protocol.ts";
import { handleS3, parseS3Path, s3Operation } from "./aws/s3_api.ts";
import { handleSageMaker } from "./aws/sagemaker_api.ts";
import { seedDeployment, type SeededDeployment, STOCK_NAMES } from "./model_runner/seed.ts";
import { SimState } from "./aws/sim_state.ts";
import { handleSns, SNS_NAMESPACE, SNS_OPERATIONS } from "./aws/sns_api.ts";
import { handleSqs } from "./aws/sqs_api.ts";
import { buildStatusEnvelope, type ImageStatus } from "./model_runner/status_envelope.ts";
import { handleSts, STS_NAMESPACE } from "./aws/sts_api.ts";
import { UsageLedger } from "./aws/usage.ts";

export type { FaultOptions } from "./aws/faults.ts";
export type { ModelRunnerCounters, ModelRunnerOptions } from "./model_runner/model_runner.ts";
export type { SeededDeployment } from "./model_runner/seed.ts";
export type { LocalTask, LocalTaskExit, TaskRunner, TaskSpec } from "./aws/ecs_tasks.ts";

/** Options of {@linkcode startSimulator}. */
export interface SimulatorOptions {
  /** TCP port on 127.0.0.1 (default 0 = any free port). */
  port?: number;
  /** Default `us-west-2`. */
  region?: string;
  /** Default `123456789012`. */
  account?: string;
  /** Folder for S3 object files (default: a temp dir removed on close). */
  dataDir?: string;
  /** Seed the stock deployment (default true). */
  seed?: boolean;
  /** Model Runner options, or false for none (default: defaults). */
  modelRunner?: Partial<ModelRunnerOptions> | false;
  /** Faults (default none). */
  faults?: FaultOptions;
  /**
   * Starts the local process of each ECS task RunTask makes (e.g.
   * `localDenoTaskRunner(...)`); without one, tasks stop with TaskFailedToStart.
   */
  taskRunner?: TaskRunner;
  /**
   * SNS delivers to a queue only when the queue's Policy allows the topic, as
   * AWS does (default true; the seeded status queue has such a policy).
   */
  enforceQueuePolicy?: boolean;
}

/** The simulated Model Runner as the simulator exposes it. */
export interface SimModelRunner {
  /** Change options at runtime (e.g. slow down mid-run). */
  setOptions(options: Partial<ModelRunnerOptions>): void;
  /** Current options. */
  readonly options: ModelRunnerOptions;
  /** Live counters. */
  readonly counters: ModelRunnerCounters;
  /** Stop the workers (close() also does). */
  stop(): Promise<void>;
}

/** Kinds of bad messages {@linkcode SimFaults.injectStatus} puts on the status queue. */
export type InjectedStatusKind = "malformed" | "foreign";

/** Fault control of a running simulator. */
export interface SimFaults {
  /** Replace every fault setting (`{}` = off). */
  set(options: FaultOptions): void;
  /** Current settings. */
  readonly options: FaultOptions;
  /**
   * Put `count` bad messages on the status queue (default `ImageStatusQueue`):
   * `malformed` cycles through a non-JSON body, JSON without
   * MessageAttributes, and an envelope with an unknown status; `foreign` are
   * valid envelopes for random jobIds this run never sent. Returns the bodies.
   */
  injectStatus(kind: InjectedStatusKind, count: number, queueName?: string): string[];
}

/** A running simulator. */
export interface Simulator {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly account: string;
  /** AWS_ENDPOINT_URL, AWS_REGION, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID=test, AWS_SECRET_ACCESS_KEY=test. */
  readonly env: Record<string, string>;
  /** Queues, buckets, task definitions, endpoints (with creation helpers). */
  readonly state: SimState;
  /** What seeding created, when it ran. */
  readonly seeded: SeededDeployment | undefined;
  /** The simulated Model Runner, unless disabled. */
  readonly modelRunner: SimModelRunner | undefined;
  readonly faults: SimFaults;
  readonly ledger: UsageLedger;
  /** Stop the Model Runner and every ECS task (SIGTERM, SIGKILL after 5 s), then the server; remove the temp data folder. */
  close(): Promise<void>;
}

type Service = "SQS" | "ECS" | "SageMaker" | "CostExplorer" | "STS" | "SNS" | "S3";

const TARGET_PREFIXES: Record<string, Service> = {
  AmazonSQS: "SQS",
  AmazonEC2ContainerServiceV20141113: "ECS",
  SageMaker: "SageMaker",
  AWSInsightsIndexService: "CostExplorer",
};

const SQS_NAMESPACE = "com.amazonaws.sqs#";

/**
 * Start a simulator.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { startSimulator } from "./simulator.ts";
 * const sim = await startSimulator({ port: 0, modelRunner: { msPerMegapixel: 5 } });
 * assert.equal(sim.env.AWS_ENDPOINT_URL, `http://127.0.0.1:${sim.port}`);
 * await sim.close();
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const region = options.region ?? "us-west-2";
  const account = options.account ?? "123456789012";
  if (!/^\d{12}$/.test(account)) {
    throw new RangeError(`account must be 12 digits (got "${account}"): pass e.g. 123456789012.`);
  }
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "osml-sim-" });
  if (!ownDataDir) await Deno.mkdir(dataDir, { recursive: true });
  const ledger = new UsageLedger();
  const injector = new FaultInjector(options.faults ?? {});
  let state: SimState | undefined = undefined;

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen: () => {} },
    (req) => state ? route(req, state, injector, ledger) : new Response(null, { status: 503 }),
  );
  const port = server.addr.port;
  const endpoint = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  };
  state = new SimState({
    region,
    account,
    baseUrl: endpoint,
    dataDir,
    enforceQueuePolicy: options.enforceQueuePolicy ?? true,
    taskRunner: options.taskRunner,
    taskEnv: env,
  }, ledger);
  const st = state;

  let seeded: SeededDeployment | undefined;
  let runner: ModelRunner | undefined;
  try {
    if (options.seed !== false) seeded = await seedDeployment(st);
    if (options.modelRunner !== false) {
      runner = new ModelRunner(st, options.modelRunner ?? {});
      runner.start();
    }
  } catch (e) {
    await runner?.stop();
    await server.shutdown();
    if (ownDataDir) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    throw e;
  }

  const faults: SimFaults = {
    set: (o) => injector.set(o),
    get options() {
      return injector.options;
    },
    injectStatus: (kind, count, queueName) =>
      injectStatus(st, kind, count, queueName ?? STOCK_NAMES.statusQueue),
  };

  let closed = false;
  return {
    endpoint,
    port,
    region,
    account,
    env: { ...env },
    state: st,
    seeded,
    modelRunner: runner,
    faults,
    ledger,
    async close() {
      if (closed) return;
      closed = true;
      await runner?.stop();
      await st.ecs.tasks.close();
      st.sqs.close();
      await server.shutdown();
      if (ownDataDir) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}

async function route(
  req: Request,
  state: SimState,
  injector: FaultInjector,
  ledger: UsageLedger,
): Promise<Response> {
  const url = new URL(req.url);
  const target = req.headers.get("x-amz-target");
  let service: Service;
  let operation: string;
  let form: URLSearchParams | undefined;
  if (target !== null) {
    const dot = target.indexOf(".");
    const svc = TARGET_PREFIXES[target.slice(0, dot)];
    operation = target.slice(dot + 1);
    if (!svc || dot < 0) {
      return jsonErrorResponse(
        new AwsError(
          400,
          "UnknownOperationException",
          `The simulator does not know X-Amz-Target ${target}: it serves SQS, ECS, SageMaker and Cost Explorer.`,
        ),
        "1.1",
      );
    }
    service = svc;
  } else if (
    req.method === "POST" && url.pathname === "/" &&
    (req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")
  ) {
    form = new URLSearchParams(await req.text());
    operation = form.get("Action") ?? "";
    const scope = credentialScopeService(req, url);
    service = scope === "sns" || (scope === undefined && SNS_OPERATIONS.includes(operation))
      ? "SNS"
      : "STS";
  } else {
    service = "S3";
    operation = s3Operation(req.method, url);
  }

  const authorized = req.headers.has("authorization") || url.searchParams.has("X-Amz-Credential");
  if (!authorized) {
    await req.body?.cancel().catch(() => {});
    return errorFor(service, req, url, missingAuth(service));
  }

  const decision = injector.decide(`${service}.${operation}`);
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  if (decision.action !== undefined) {
    await req.body?.cancel().catch(() => {});
    if (decision.action === "dropConnection") return droppedConnection();
    return errorFor(service, req, url, faultError(service, operation, decision.action));
  }

  try {
    switch (service) {
      case "S3":
        return await handleS3(req, url, {
          store: state.s3,
          ledger,
          region: state.region,
          account: state.account,
        });
      case "STS":
        return handleSts(form ?? new URLSearchParams(), state.account);
      case "SNS":
        return handleSns(form ?? new URLSearchParams(), { store: state.sns, ledger });
      default: {
        const input = await readJson(req);
        switch (service) {
          case "SQS": {
            const out = await handleSqs(operation, input, {
              store: state.sqs,
              ledger,
            });
            return jsonResponse(out, "1.0");
          }
          case "ECS":
            return jsonResponse(handleEcs(operation, input, state.ecs), "1.1");
          case "SageMaker":
            return jsonResponse(handleSageMaker(operation, input, state.sagemaker), "1.1");
          case "CostExplorer":
            return jsonResponse(
              handleCostExplorer(operation, input, { ledger, now: Date.now() }),
              "1.1",
            );
        }
      }
    }
  } catch (e) {
    return errorFor(service, req, url, toAwsError(e));
  }
}

async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsError(
      400,
      "SerializationException",
      "The request body is not valid JSON: send the body the AWS SDK builds.",
    );
  }
}

function errorFor(service: Service, req: Request, url: URL, error: AwsError): Response {
  switch (service) {
    case "SQS":
      return jsonErrorResponse(
        error.details.namespace === undefined && error.details.queryCode !== undefined
          ? new AwsError(error.status, error.code, error.message, {
            ...error.details,
            namespace: SQS_NAMESPACE,
          })
          : error,
        "1.0",
      );
    case "S3": {
      const extra: Record<string, string> = {};
      const { bucket } = parseS3Path(url);
      if (error.code === "NoSuchBucket") extra.BucketName = bucket;
      return s3ErrorResponse(error, req.method, extra);
    }
    case "STS":
      return queryErrorResponse(error, STS_NAMESPACE);
    case "SNS":
      return queryErrorResponse(error, SNS_NAMESPACE);
    default:
      return jsonErrorResponse(error, "1.1");
  }
}

// The service of the SigV4 credential scope (`Credential=AKID/date/region/<service>/aws4_request`).
function credentialScopeService(req: Request, url: URL): string | undefined {
  const auth = req.headers.get("authorization") ?? "";
  const credential = /Credential=([^,\s]+)/.exec(auth)?.[1] ??
    url.searchParams.get("X-Amz-Credential");
  if (!credential) return undefined;
  return credential.split("/")[3];
}

function missingAuth(service: Service): AwsError {
  const hint = "sign the request (any credentials work, e.g. AWS_ACCESS_KEY_ID=test).";
  switch (service) {
    case "S3":
      return new AwsError(403, "AccessDenied", `Access Denied: ${hint}`);
    case "SQS":
      return new AwsError(
        403,
        "MissingAuthenticationToken",
        `Request is missing Authentication Token: ${hint}`,
        {
          queryCode: "MissingAuthenticationToken",
        },
      );
    case "STS":
    case "SNS":
      return new AwsError(
        403,
        "MissingAuthenticationToken",
        `Request is missing Authentication Token: ${hint}`,
      );
    default:
      return new AwsError(
        403,
        "MissingAuthenticationTokenException",
        `Missing Authentication Token: ${hint}`,
      );
  }
}

function faultError(service: Service, operation: string, action: FaultAction): AwsError {
  const op = `${service}.${operation}`;
  switch (action) {
    case "deny":
      if (service === "S3") {
        return new AwsError(
          403,
          "AccessDenied",
          `Access Denied (${op} is denied by the simulator's fault config).`,
        );
      }
      if (service === "STS") {
        return new AwsError(
          403,
          "AccessDenied",
          `User is not authorized to perform ${op} (fault config).`,
        );
      }
      if (service === "SNS") {
        return new AwsError(
          403,
          "AuthorizationError",
          `User: arn:aws:iam::sim:user/osml-load-sim is not authorized to perform: ${op} (denied by the simulator's fault config).`,
        );
      }
      return new AwsError(
        400,
        "AccessDeniedException",
        `User: arn:aws:iam::sim:user/osml-load-sim is not authorized to perform: ${op} (denied by the simulator's fault config).`,
      );
    case "throttle":
      switch (service) {
        case "S3":
          return new AwsError(503, "SlowDown", "Please reduce your request rate.");
        case "SQS":
          return new AwsError(400, "RequestThrottled", "Request is throttled.", {
            queryCode: "RequestThrottled",
          });
        case "STS":
          return new AwsError(400, "Throttling", "Rate exceeded");
        case "SNS":
          return new AwsError(400, "Throttling", "Rate exceeded");
        default:
          return new AwsError(400, "ThrottlingException", "Rate exceeded");
      }
    default:
      switch (service) {
        case "S3":
          return new AwsError(
            500,
            "InternalError",
            "We encountered an internal error. Please try again.",
          );
        case "ECS":
          return new AwsError(
            500,
            "ServerException",
            "Service encountered an internal error (simulated).",
          );
        case "SQS":
          return new AwsError(
            500,
            "InternalFailure",
            "The request processing has failed because of an unknown error, exception or failure (simulated).",
            {
              queryCode: "InternalFailure",
              fault: "Receiver",
            },
          );
        case "SNS":
          return new AwsError(500, "InternalError", "Internal error (simulated).", {
            fault: "Receiver",
          });
        default:
          return new AwsError(
            500,
            "InternalFailure",
            "The request processing has failed because of an unknown error, exception or failure (simulated).",
          );
      }
  }
}

// A response that promises 100 bytes and sends none: the connection is cut
// and the SDK sees a network error (ECONNRESET "aborted"), which it retries.
function droppedConnection(): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": "application/json", "content-length": "100" },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

function injectStatus(
  state: SimState,
  kind: InjectedStatusKind,
  count: number,
  queueName: string,
): string[] {
  const queue = state.queue(queueName);
  const bodies: string[] = [];
  const finals: ImageStatus[] = ["SUCCESS", "FAILED", "PARTIAL", "STARTED", "IN_PROGRESS"];
  for (let i = 0; i < count; i++) {
    let body: string;
    if (kind === "foreign") {
      const status = finals[i % finals.length]!;
      body = buildStatusEnvelope({
        status,
        jobId: randomHex(16),
        imageUrl: `s3://osml-test-images-${state.account}/small.tif`,
        reason: status === "STARTED" ? "Started image request" : "Completed image processing",
        durationSeconds: status === "STARTED" ? 0 : 1 + (i % 7),
        region: state.region,
        account: state.account,
      });
    } else {
      switch (i % 3) {
        case 0:
          body = `this is not JSON {"Type": "Notification"`;
          break;
        case 1:
          body = JSON.stringify({
            Type: "Notification",
            MessageId: crypto.randomUUID(),
            Message: "StatusMonitor update: RequestStatus.SUCCESS nobody: no attributes",
          });
          break;
        default: {
          const env = JSON.parse(buildStatusEnvelope({
            status: "SUCCESS",
            jobId: randomHex(16),
            imageUrl: `s3://osml-test-images-${state.account}/small.tif`,
            reason: "Completed image processing",
            durationSeconds: 3,
            region: state.region,
            account: state.account,
          }));
          env.MessageAttributes.status.Value = "EXPLODED";
          env.MessageAttributes.image_status.Value = "EXPLODED";
          body = JSON.stringify(env, null, 2);
        }
      }
    }
    queue.send(body);
    bodies.push(body);
  }
  return bodies;
}
