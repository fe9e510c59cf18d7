/**
 * The AWS simulator as a library (`@osml/osml-load/sim-aws`): in-memory SQS, SNS, S3, ECS,
 * SageMaker, STS and Cost Explorer with AWS's wire protocols, fault injection and a usage ledger,
 * without the simulated Model Runner (mod/sim/model_runner/) or the HTTP server that serves both
 * (mod/sim/simulator.ts). Use {@linkcode SimState} to hold and seed resources directly, and the
 * `handle*` functions to answer AWS requests from your own server.
 *
 * @example
 * ```ts
 * import { SimState, UsageLedger } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * const state = new SimState({
 *   region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:1", dataDir,
 * }, new UsageLedger());
 * const queue = state.createQueue("jobs");
 * queue.send("hello");
 * if (queue.counts().visible !== 1) throw new Error("one visible message");
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 * @module
 */
export { SimState } from "./sim_state.ts";
export type { CreateQueueOptions, SubscribeQueueOptions } from "./sim_state.ts";
export { type SimClientConfig, simClientConfig } from "./client_config.ts";
export { AwsError, type AwsErrorDetails } from "./aws_error.ts";
export * from "./sqs_store.ts";
export * from "./sns_store.ts";
export * from "./s3_store.ts";
export * from "./ecs_api.ts";
export * from "./ecs_tasks.ts";
export * from "./sagemaker_api.ts";
export { handleSqs, SQS_OPERATIONS } from "./sqs_api.ts";
export { handleS3, parseS3Path, s3Operation } from "./s3_api.ts";
export { handleSns, SNS_NAMESPACE, SNS_OPERATIONS } from "./sns_api.ts";
export { handleSts, STS_NAMESPACE } from "./sts_api.ts";
export { handleCostExplorer } from "./cost_explorer.ts";
export * from "./faults.ts";
export * from "./usage.ts";
export { localDenoTaskRunner, type LocalDenoTaskRunnerOptions } from "./local_deno_task_runner.ts";
