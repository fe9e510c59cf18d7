/**
 * `osml-load cleanup`: find the private status queues and subscriptions that
 * runs left behind (a run killed with SIGKILL, or one whose teardown could not
 * reach AWS) and remove them, one line per resource.
 *
 * A private status queue is named `osml-load-<run id>` and tagged
 * `osml-load:run-id` / `osml-load:created` (see
 * `mod/engine/status_subscription.ts`); a subscription is the tool's when it
 * delivers to such a queue. Only resources older than `--older-than`
 * (default 1 h) are removed, so runs still going keep theirs. A subscription
 * whose queue is gone is removed whatever its age (a run deletes its queue
 * only after unsubscribing).
 *
 * @example
 * Not run as a test: it lists (and, without `dryRun`, removes) resources of the AWS account
 * the environment names; {@linkcode findLeftovers} shows the same search on the simulator.
 * ```ts ignore
 * import { runCleanup } from "./cleanup.ts";
 * Deno.exitCode = await runCleanup({ olderThanS: 3600, dryRun: true, yes: false });
 * ```
 * @module
 */
import { paginateListSubscriptions, type SNSClient, UnsubscribeCommand } from "@aws-sdk/client-sns";
import {
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  paginateListQueues,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { awsErrorCode } from "../aws/aws_errors.ts";
import type { AwsEnv } from "../aws/aws_settings.ts";
import { AwsTimeoutError } from "../aws/call_deadline.ts";
import { snsClient } from "../aws/sns_client.ts";
import { sqsClient } from "../aws/sqs_client.ts";
import { resolveRegion } from "../discovery/region.ts";
import { CREATED_TAG, QUEUE_NAME_PREFIX, RUN_ID_TAG } from "../engine/status_subscription.ts";
import { ExitCode } from "../exit_codes.ts";
import { UsageError } from "../usage_error.ts";

/** Options of {@linkcode runCleanup}. */
export interface CleanupOptions {
  /** Remove only resources created at least this many seconds ago. */
  olderThanS: number;
  /** List what would be removed; remove nothing. */
  dryRun: boolean;
  /** Remove without asking. */
  yes: boolean;
  /** `--aws-region` (else the environment, the profile, us-west-2). */
  region?: string | undefined;
  /** Timeout of one AWS call, in seconds (default 15). */
  awsTimeoutS?: number | undefined;
  /** The environment the AWS clients read (region, endpoint, credentials); default the process's. */
  env?: AwsEnv;
  /** Where lines go (default `console.log`). */
  write?: (line: string) => void;
  /**
   * Ask before removing (default: a `[y/N]` prompt when standard input is a
   * terminal; otherwise nothing is removed without `--yes`).
   */
  confirm?: (question: string) => boolean | Promise<boolean>;
  /** The clock, ms since epoch (tests). */
  now?: () => number;
}

/** One resource a run left behind. */
export interface Leftover {
  kind: "queue" | "subscription";
  /** Queue name, or subscription ARN. */
  name: string;
  /** Queue URL, or subscription ARN: what the removal call takes. */
  handle: string;
  /** The run id, when known (tag or name). */
  runId: string | undefined;
  /** When it was created (ms since epoch); undefined when unknown. */
  createdAt: number | undefined;
  /** Why it is (or is not) removed. */
  note: string;
  /** True when it is old enough (or orphaned) to remove. */
  removable: boolean;
}

/** Names of private status queues: `osml-load-` and the 8-hex run id. */
const NAME = /^osml-load-([0-9a-f]{8})$/;

/**
 * An age for people: `2h 5m`, `3m 10s`, `42s`.
 *
 * @example
 * ```ts
 * import { formatAge } from "./cleanup.ts";
 * if (formatAge(7_500_000) !== "2h 5m") throw new Error("hours and minutes");
 * ```
 */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

function isGone(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === "QueueDoesNotExist" || code === "AWS.SimpleQueueService.NonExistentQueue" ||
    code === "NotFound" || code === "NotFoundException";
}

function describe(error: unknown): string {
  return `${awsErrorCode(error)}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Find what runs left in `region` (the clients' region): private status
 * queues and the subscriptions that deliver to them (or to such a queue that
 * is gone), subscriptions first.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
 * import { SNSClient } from "@aws-sdk/client-sns";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { findLeftovers } from "./cleanup.ts";
 * const sim = await startSimulator({ port: 0 });
 * const sqs = new SQSClient(simClientConfig(sim));
 * const sns = new SNSClient(simClientConfig(sim));
 * await sqs.send(new CreateQueueCommand({ QueueName: "osml-load-0badcafe" }));
 * // Two hours later, with --older-than 1h:
 * const leftovers = await findLeftovers(sqs, sns, sim.region, 3600, Date.now() + 7_200_000);
 * assert.deepEqual(
 *   leftovers.map((l) => [l.kind, l.name, l.runId, l.removable]),
 *   [["queue", "osml-load-0badcafe", "0badcafe", true]],
 * );
 * sqs.destroy();
 * sns.destroy();
 * await sim.close();
 * ```
 */
export async function findLeftovers(
  sqs: SQSClient,
  sns: SNSClient,
  region: string,
  olderThanS: number,
  now: number,
): Promise<Leftover[]> {
  const limit = olderThanS * 1000;
  const queues = new Map<string, Leftover>(); // by queue ARN
  for await (
    const page of paginateListQueues({ client: sqs }, {
      QueueNamePrefix: QUEUE_NAME_PREFIX,
      MaxResults: 1000,
    })
  ) {
    for (const url of page.QueueUrls ?? []) {
      const name = url.slice(url.lastIndexOf("/") + 1);
      let tags: Record<string, string>;
      let attributes: Record<string, string>;
      try {
        tags = (await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
        attributes = (await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ["QueueArn", "CreatedTimestamp"],
          }),
        )).Attributes ?? {};
      } catch (error) {
        if (isGone(error)) continue; // deleted since the listing
        throw error;
      }
      const runId = tags[RUN_ID_TAG] ?? NAME.exec(name)?.[1];
      if (runId === undefined) continue; // another tool's queue with a similar name
      const tagged = Date.parse(tags[CREATED_TAG] ?? "");
      const createdS = Number(attributes.CreatedTimestamp);
      // SQS's own creation time first; the tag (the run's clock) when SQS does not say.
      const createdAt = Number.isFinite(createdS) && createdS > 0
        ? createdS * 1000
        : Number.isFinite(tagged)
        ? tagged
        : undefined;
      const age = createdAt === undefined ? undefined : now - createdAt;
      // An unknown age could be a run still going: removed only with --older-than 0.
      const removable = age === undefined ? limit === 0 : age >= limit;
      const created = createdAt === undefined
        ? "created at an unknown time"
        : `created ${new Date(createdAt).toISOString()}, ${formatAge(age!)} ago`;
      queues.set(attributes.QueueArn ?? url, {
        kind: "queue",
        name,
        handle: url,
        runId,
        createdAt,
        removable,
        note: `run ${runId}, ${created}${
          removable ? "" : `: younger than --older-than ${formatAge(limit)}`
        }`,
      });
    }
  }
  const subscriptions: Leftover[] = [];
  for await (const page of paginateListSubscriptions({ client: sns }, {})) {
    for (const sub of page.Subscriptions ?? []) {
      const arn = sub.SubscriptionArn;
      const endpoint = sub.Endpoint ?? "";
      if (sub.Protocol !== "sqs" || !arn || !arn.startsWith("arn:")) continue;
      const queueName = endpoint.slice(endpoint.lastIndexOf(":") + 1);
      const runId = NAME.exec(queueName)?.[1];
      const queue = queues.get(endpoint);
      if (queue) {
        subscriptions.push({
          kind: "subscription",
          name: arn,
          handle: arn,
          runId: queue.runId,
          createdAt: queue.createdAt,
          removable: queue.removable,
          note: `to queue ${queue.name}${queue.removable ? "" : ", which is kept"}`,
        });
        continue;
      }
      if (runId === undefined) continue;
      // Its queue was not listed: gone (an orphan), or too new to be listed yet.
      const [, , , queueRegion, account] = endpoint.split(":");
      const sameRegion = queueRegion === region;
      let exists = true;
      try {
        await sqs.send(
          new GetQueueUrlCommand({
            QueueName: queueName,
            ...(account ? { QueueOwnerAWSAccountId: account } : {}),
          }),
        );
      } catch (error) {
        if (isGone(error)) exists = false;
        else if (error instanceof AwsTimeoutError) throw error;
      }
      subscriptions.push({
        kind: "subscription",
        name: arn,
        handle: arn,
        runId,
        createdAt: undefined,
        removable: !exists && sameRegion,
        note: !sameRegion
          ? `to queue ${queueName} in ${queueRegion}: run cleanup with --aws-region ${queueRegion}`
          : exists
          ? `to queue ${queueName}, which exists but was not listed yet: kept`
          : `to queue ${queueName}, which is gone`,
      });
    }
  }
  // Unsubscribe before deleting the queue, as a run does.
  return [...subscriptions, ...queues.values()];
}

/** Default confirmation: a prompt on a terminal; no answer (undefined) otherwise. */
function terminalConfirm(question: string): boolean | undefined {
  if (!Deno.stdin.isTerminal()) return undefined;
  const answer = prompt(`${question} [y/N]`);
  return answer !== null && /^y(es)?$/i.test(answer.trim());
}

/**
 * Run `osml-load cleanup`: list the leftovers of runs in the region, and
 * remove those older than `olderThanS` (after asking, unless `yes`). Returns
 * the exit code: 0 when everything asked was done, 1 when a removal failed.
 */
export async function runCleanup(options: CleanupOptions): Promise<number> {
  const write = options.write ?? ((line: string) => console.log(line));
  const now = options.now?.() ?? Date.now();
  const { region } = await resolveRegion(options.region, options.env);
  const aws = {
    region,
    timeoutMs: (options.awsTimeoutS ?? 15) * 1000,
    ...(options.env ? { env: options.env } : {}),
  };
  const sqs = sqsClient(aws);
  const sns = snsClient(aws);
  try {
    let found: Leftover[];
    try {
      found = await findLeftovers(sqs, sns, region, options.olderThanS, now);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(
        `could not list SQS queues and SNS subscriptions in ${region} (${
          describe(error)
        }): grant sqs:ListQueues, sqs:ListQueueTags, sqs:GetQueueAttributes and sns:ListSubscriptions, and check the region`,
      );
    }
    const removable = found.filter((r) => r.removable);
    if (found.length === 0) {
      write(`Nothing to clean up in ${region}: no osml-load status queues or subscriptions.`);
      return ExitCode.Ok;
    }
    const verb = (r: Leftover) => (r.kind === "queue" ? "delete" : "unsubscribe");
    // One line per resource: what happens to it (with --yes, the removals say it themselves).
    for (const r of found) {
      if (r.removable && options.yes && !options.dryRun) continue;
      write(`${r.removable ? `would ${verb(r)}` : "keep"} ${r.kind} ${r.name} (${r.note})`);
    }
    const kept = found.length - removable.length;
    if (options.dryRun || removable.length === 0) {
      write(
        `${
          removable.length ? `Would remove ${removable.length}` : "Nothing to remove"
        } in ${region}${kept ? `; ${kept} kept` : ""} (${
          options.dryRun ? "dry run: nothing removed" : "nothing removed"
        }).`,
      );
      return ExitCode.Ok;
    }
    if (!options.yes) {
      const question = `Remove the ${removable.length} resource(s) marked "would" above?`;
      const answer = options.confirm ? await options.confirm(question) : terminalConfirm(question);
      if (answer === undefined) {
        throw new UsageError(
          `not removing ${removable.length} resource(s) without --yes (standard input is not a terminal): pass --yes, or --dry-run to list only`,
        );
      }
      if (!answer) {
        write("Nothing removed.");
        return ExitCode.Ok;
      }
    }
    let failed = 0;
    for (const r of removable) {
      try {
        if (r.kind === "subscription") {
          await sns.send(new UnsubscribeCommand({ SubscriptionArn: r.handle }));
        } else {
          await sqs.send(new DeleteQueueCommand({ QueueUrl: r.handle }));
        }
        write(`${r.kind === "queue" ? "deleted" : "unsubscribed"} ${r.kind} ${r.name} (${r.note})`);
      } catch (error) {
        if (isGone(error)) {
          write(`${r.kind} ${r.name} was already gone`);
          continue;
        }
        failed++;
        write(`could not ${verb(r)} ${r.kind} ${r.name} (${describe(error)})`);
      }
    }
    write(
      `Removed ${removable.length - failed} of ${removable.length} in ${region}${
        kept ? `; ${kept} kept` : ""
      }${failed ? `; ${failed} failed: check the permissions (deploy/iam-policy.json)` : ""}.`,
    );
    return failed ? ExitCode.RunFailed : ExitCode.Ok;
  } finally {
    sqs.destroy();
    sns.destroy();
  }
}
