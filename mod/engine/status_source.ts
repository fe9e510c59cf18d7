/**
 * Where a run reads job status from (`--status-source`), and why:
 *
 * - `subscription`: a private queue subscribed to the status topic with a
 *   filter on the run's job-id prefix ({@linkcode StatusSubscription}); the
 *   monitor deletes what it reads, since only this run's jobs arrive there.
 * - `queue`: the shared status queue, as upstream; with
 *   `--keep-foreign-status` the monitor hands other consumers' messages back.
 * - `auto` (default): `subscription` when the topic is known and the
 *   subscription can be made, else `queue`, saying why.
 *
 * The plan (for `--dry-run` and the configuration rows) is made while
 * preparing, without creating anything; the choice is made once, just before
 * the load, and its resources are removed in the finish phase.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { planStatusSource } from "./status_source.ts";
 * const rows = planStatusSource({
 *   requested: "queue", runId: "0badcafe", topicArn: undefined, topicSource: undefined,
 *   sharedQueueName: "ImageStatusQueue", keepForeign: false,
 * });
 * assert.deepEqual(rows.find(([label]) => label === "Status source"),
 *   ["Status source", "shared queue ImageStatusQueue (--status-source queue)"]);
 * ```
 * @module
 */
import type { AwsSettings } from "../aws/aws_settings.ts";
import { topicNameOf } from "../discovery/topic_arn.ts";
import type { RunLog } from "../log/run_log.ts";
import { UsageError } from "../usage_error.ts";
import type { PreparedRun } from "./prepare_run.ts";
import { StatusSubscription, SubscriptionSetupError } from "./status_subscription.ts";

/** What `--status-source` takes. */
export type StatusSourceMode = "auto" | "subscription" | "queue";

/** What the plan and the choice are made from. */
export interface StatusSourcePlanInput {
  requested: StatusSourceMode;
  /** The run id (also the job-id prefix). */
  runId: string;
  /** The status topic, when known. */
  topicArn: string | undefined;
  /** Where the topic came from (`IMAGE_STATUS_TOPIC`, `--mr-status-topic`). */
  topicSource: string | undefined;
  /** The shared status queue's name. */
  sharedQueueName: string;
  /** `--keep-foreign-status`. */
  keepForeign: boolean;
}

/** Inputs of {@linkcode openStatusSource}. */
export interface StatusSourceInput extends StatusSourcePlanInput {
  region: string;
  /** The shared status queue's URL; undefined when `subscription` was asked for (not resolved). */
  sharedQueueUrl: string | undefined;
  /** Timeout and cancellation of the setup calls. */
  aws: Omit<AwsSettings, "region">;
}

/** The status source a run reads. */
export interface StatusSource {
  readonly mode: "subscription" | "queue";
  /** Why this mode, one phrase. */
  readonly why: string;
  /** The queue the status monitor reads. */
  readonly queueUrl: string;
  /** Whether the monitor leaves other consumers' messages (only on the shared queue). */
  readonly keepForeign: boolean;
  /** The private resources (subscription mode). */
  readonly subscription: StatusSubscription | undefined;
  /** Configuration rows describing the source. */
  rows(): Array<[string, string]>;
  /**
   * Remove the private queue and its subscription (subscription mode), within `limitMs`;
   * logs what was removed and, as a warning, what was left. Safe to call more than once.
   */
  close(limitMs: number, log?: RunLog): Promise<void>;
}

const LOGGER = "osml_load.status_source";

function topicRow(input: StatusSourcePlanInput): [string, string] {
  return [
    "Status topic",
    input.topicArn ? `${input.topicArn} (${input.topicSource ?? "given"})` : "(unknown)",
  ];
}

function subscriptionText(input: StatusSourcePlanInput, queueName: string): string {
  return `private queue ${queueName} subscribed to ${
    topicNameOf(input.topicArn ?? "")
  }, job ids ${input.runId}…`;
}

function monitorRow(mode: "subscription" | "queue", keepForeign: boolean): [string, string] {
  if (mode === "subscription") {
    return [
      "Status monitor",
      `deletes what it reads (only this run's jobs reach its private queue)${
        keepForeign ? "; --keep-foreign-status is not needed" : ""
      }`,
    ];
  }
  return [
    "Status monitor",
    keepForeign
      ? "hands other consumers' messages back at once (--keep-foreign-status)"
      : "deletes every message (upstream)",
  ];
}

const UNKNOWN_TOPIC =
  "the status topic is unknown (no IMAGE_STATUS_TOPIC in the task definition); pass --mr-status-topic to read only this run's jobs";

/**
 * The configuration rows of the planned status source (`Status topic`,
 * `Status source`, `Status monitor`), without creating anything. Throws a
 * {@linkcode UsageError} when `subscription` is asked for and the topic is
 * unknown.
 */
export function planStatusSource(input: StatusSourcePlanInput): Array<[string, string]> {
  const queueName = `osml-load-${input.runId}`;
  let source: string;
  let mode: "subscription" | "queue" = "queue";
  if (input.requested === "queue") {
    source = `shared queue ${input.sharedQueueName} (--status-source queue)`;
  } else if (!input.topicArn) {
    if (input.requested === "subscription") {
      throw new UsageError(
        "--status-source subscription needs Model Runner's status topic, and the task definition has no IMAGE_STATUS_TOPIC: pass --mr-status-topic <arn>, or --status-source queue",
      );
    }
    source = `shared queue ${input.sharedQueueName} (auto: ${UNKNOWN_TOPIC})`;
  } else {
    mode = "subscription";
    source = `${subscriptionText(input, queueName)} (${
      input.requested === "subscription"
        ? "--status-source subscription"
        : `auto: made at start; the shared queue ${input.sharedQueueName} if not allowed`
    })`;
  }
  return [topicRow(input), ["Status source", source], monitorRow(mode, input.keepForeign)];
}

/**
 * Replace the rows of `configuration` that have the labels of `rows` (in
 * place), appending those it lacks.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { replaceRows } from "./status_source.ts";
 * const config: Array<[string, string]> = [["A", "1"], ["B", "2"]];
 * replaceRows(config, [["B", "3"], ["C", "4"]]);
 * assert.deepEqual(config, [["A", "1"], ["B", "3"], ["C", "4"]]);
 * ```
 */
export function replaceRows(
  configuration: Array<[string, string]>,
  rows: ReadonlyArray<[string, string]>,
): void {
  for (const row of rows) {
    const at = configuration.findIndex(([label]) => label === row[0]);
    if (at >= 0) configuration[at] = row;
    else configuration.push(row);
  }
}

/**
 * Choose the status source and make its resources: with `subscription` (or
 * `auto` and a known topic) create the private subscription; `auto` falls
 * back to the shared queue when that fails (a denied permission, a missing
 * topic), with the reason. An explicit `subscription` that fails is a
 * {@linkcode UsageError} (nothing is left behind). Cancellation and AWS
 * timeouts are thrown as they come. Logs the choice when `log` is given.
 */
export async function openStatusSource(
  input: StatusSourceInput,
  log?: RunLog,
): Promise<StatusSource> {
  planStatusSource(input); // the usage checks
  const shared = (why: string): StatusSource => {
    if (!input.sharedQueueUrl) {
      throw new UsageError(
        `the shared status queue ${input.sharedQueueName} was not resolved: pass --status-source queue or auto`,
      );
    }
    return source(input, "queue", why, input.sharedQueueUrl, undefined);
  };
  let chosen: StatusSource;
  if (input.requested === "queue") chosen = shared("--status-source queue");
  else if (!input.topicArn) chosen = shared(`auto: ${UNKNOWN_TOPIC}`);
  else {
    try {
      const subscription = await StatusSubscription.create({
        region: input.region,
        ...input.aws,
        topicArn: input.topicArn,
        runId: input.runId,
      });
      chosen = source(
        input,
        "subscription",
        input.requested === "subscription"
          ? "--status-source subscription"
          : `auto: the status topic is known (${input.topicSource}) and subscribing was allowed`,
        subscription.queueUrl,
        subscription,
      );
    } catch (error) {
      if (!(error instanceof SubscriptionSetupError)) throw error;
      if (input.requested === "subscription") {
        throw new UsageError(
          `could not make the private status subscription: ${error.message}: ${error.hint}, or pass --status-source queue`,
        );
      }
      chosen = shared(
        `auto: a private subscription was not possible: ${error.message}; ${error.hint} to read only this run's jobs`,
      );
    }
  }
  if (log) {
    const line = `Status source: ${chosen.rows()[1]![1]}`;
    if (chosen.mode === "queue" && input.requested === "auto" && input.topicArn) {
      log.warn(LOGGER, line);
    } else log.info(LOGGER, line);
  }
  return chosen;
}

function source(
  input: StatusSourcePlanInput,
  mode: "subscription" | "queue",
  why: string,
  queueUrl: string,
  subscription: StatusSubscription | undefined,
): StatusSource {
  const keepForeign = mode === "queue" && input.keepForeign;
  return {
    mode,
    why,
    queueUrl,
    keepForeign,
    subscription,
    rows: () => [
      topicRow(input),
      [
        "Status source",
        mode === "subscription"
          ? `${subscriptionText(input, subscription!.queueName)} (${why})`
          : `shared queue ${input.sharedQueueName} (${why})`,
      ],
      monitorRow(mode, input.keepForeign),
    ],
    async close(limitMs: number, log?: RunLog) {
      if (!subscription) return;
      const report = await subscription.teardown(limitMs);
      for (const removed of report.removed) log?.info(LOGGER, `Removed ${removed}`);
      for (const left of report.left) {
        log?.warn(
          LOGGER,
          `Could not remove ${left}: remove it with \`osml-load cleanup\` (it lists what runs left behind)`,
        );
      }
    },
  };
}

/**
 * {@linkcode openStatusSource} for a prepared run: its `--status-source`,
 * run id, topic and shared queue; the run's configuration rows are updated
 * with the choice.
 */
export async function openRunStatusSource(
  prepared: PreparedRun,
  log: RunLog,
  aws: Omit<AwsSettings, "region">,
): Promise<StatusSource> {
  const { settings, deployment } = prepared;
  const chosen = await openStatusSource({
    requested: settings.statusSource,
    runId: prepared.runId,
    region: deployment.region,
    topicArn: deployment.statusTopicArn,
    topicSource: deployment.statusTopicSource,
    sharedQueueName: deployment.statusQueueName,
    sharedQueueUrl: prepared.statusQueueUrl,
    keepForeign: settings.keepForeignStatus,
    aws,
  }, log);
  replaceRows(prepared.configuration, chosen.rows());
  return chosen;
}
