/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * The status monitor worker: long-polls the status queue (10 messages, 5 s
 * wait, 30 s visibility, as upstream; several polls at once; after a receive that brought
 * nothing, SQS's longest wait, 20 s, until one does, except while foreign messages are held or
 * after a failed receive), parses each SNS envelope, sends the
 * events to the main thread, and deletes messages with DeleteMessageBatch.
 * By default every received message is deleted, as upstream does (and as a
 * private subscription's queue wants: only the run's jobs reach it). With
 * `keepForeign`, messages that are not this run's are handed back to the queue
 * at once (ChangeMessageVisibility to 0), so other consumers get them without
 * waiting out a visibility timeout: a message for an unknown job without the
 * run's job-id prefix, and a malformed one. A message for an unknown job that
 * carries the prefix may be ours (its registration can reach the monitor after
 * the status): it is held for a grace period, then handed back. A receive that
 * brings only messages already handed back pauses the poll briefly, so a queue
 * full of other consumers' messages does not spin.
 * @module
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { sqsClient } from "../mod/aws/sqs_client.ts";
import { abortableSleep } from "../mod/engine/abortable_sleep.ts";
import { parseStatusMessage } from "../mod/engine/status_message.ts";
import type {
  FromMonitorWorker,
  StatusEvent,
  ToMonitorWorker,
} from "../mod/engine/worker_messages.ts";

type Init = Extract<ToMonitorWorker, { type: "init" }>;

const GRACE_MS = 10_000;
/** Pause after a receive that brought only messages already handed back. */
const REPEAT_PAUSE_MS = 1_000;
/** Most foreign messages held or remembered at once: a busy shared queue cannot grow memory. */
const HELD_LIMIT = 10_000;
const known = new Set<string>();
const held = new Map<
  string,
  { message: Message; jobId: string; event: StatusEvent; since: number }
>();
const foreignSeen = new Set<string>();
/** The run's job-id prefix (keep-foreign mode): ids without it are not ours. */
let jobIdPrefix = "";
let running = true;
let abort = new AbortController();

function post(message: FromMonitorWorker): void {
  self.postMessage(message);
}

async function deleteMessages(sqs: SQSClient, queueUrl: string, messages: Message[]) {
  const handles = messages.flatMap((m) => (m.ReceiptHandle ? [m.ReceiptHandle] : []));
  for (let start = 0; start < handles.length; start += 10) {
    const entries = handles.slice(start, start + 10).map((ReceiptHandle, i) => ({
      Id: String(i),
      ReceiptHandle,
    }));
    const result = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
    );
    if (result.Failed?.length) {
      post({
        type: "warning",
        message: `could not delete ${result.Failed.length} status message(s): ${
          result.Failed[0]?.Code ?? "unknown"
        }`,
      });
    }
  }
}

/** Receipt-handle errors that only mean the message is visible again or gone. */
const HARMLESS = new Set(["MessageNotInflight", "ReceiptHandleIsInvalid", "InvalidParameterValue"]);

/** Make `messages` visible again at once (ChangeMessageVisibilityBatch, VisibilityTimeout 0). */
async function handBack(sqs: SQSClient, queueUrl: string, messages: Message[]) {
  const handles = messages.flatMap((m) => (m.ReceiptHandle ? [m.ReceiptHandle] : []));
  for (let start = 0; start < handles.length; start += 10) {
    const entries = handles.slice(start, start + 10).map((ReceiptHandle, i) => ({
      Id: String(i),
      ReceiptHandle,
      VisibilityTimeout: 0,
    }));
    const result = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
    );
    const failed = (result.Failed ?? []).filter((f) => !HARMLESS.has(f.Code ?? ""));
    if (failed.length) {
      post({
        type: "warning",
        message: `could not hand ${failed.length} status message(s) back to the queue: ${
          failed[0]?.Code ?? "unknown"
        } (they become visible again after the visibility timeout)`,
      });
    }
  }
}

/**
 * Most concurrent long polls. One receive-parse-delete round trip takes a few
 * milliseconds, so a single poller caps the drain rate near 700 messages/s.
 * One poller always runs; while receives come back full (10 messages) more
 * join, up to this many, and each extra one leaves when a receive comes back
 * short, so a quiet queue costs one long poll at a time.
 */
const MAX_POLLERS = 8;
/** Longest silence toward the main thread while receives succeed. */
const HEARTBEAT_MS = 5_000;
let lastHeartbeat = 0;
/** Pause after a receive that came back short (but not empty). */
const QUIET_PAUSE_MS = 1_000;
/**
 * The wait of a receive after one that brought nothing (SQS's longest): a quiet queue costs
 * one receive in 20 s, and a status that arrives meanwhile still comes back at once.
 */
const QUIET_WAIT_S = 20;
let pollers = 0;
const pollersDone: Promise<void>[] = [];

async function loop(setup: Init): Promise<void> {
  const sqs = sqsClient({
    region: setup.region,
    timeoutMs: setup.awsTimeoutMs,
    ...(setup.awsEnv ? { env: setup.awsEnv } : {}),
  });
  startPoller(sqs, setup, true);
  // Wait for every poller, including those that join later.
  for (let i = 0; i < pollersDone.length; i++) await pollersDone[i];
  if (held.size) {
    // Stopping: what is still held is not ours; give it back for the other consumers.
    const rest = [...held.values()].map((entry) => entry.message);
    held.clear();
    try {
      await handBack(sqs, setup.queueUrl, rest);
    } catch {
      // Best effort: they become visible again after the visibility timeout.
    }
  }
  sqs.destroy();
}

function startPoller(sqs: SQSClient, setup: Init, permanent: boolean): void {
  pollers++;
  pollersDone.push(poll(sqs, setup, permanent).finally(() => pollers--));
}

async function poll(sqs: SQSClient, setup: Init, permanent: boolean): Promise<void> {
  let errors = 0;
  let empty = false;
  while (running) {
    let messages: Message[] = [];
    try {
      const response = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: setup.queueUrl,
          MaxNumberOfMessages: 10,
          // Held messages wait for their grace period to end: keep the short wait for them.
          WaitTimeSeconds: empty && held.size === 0
            ? Math.max(QUIET_WAIT_S, setup.waitTimeSeconds)
            : setup.waitTimeSeconds,
          VisibilityTimeout: setup.visibilityTimeout,
        }),
        { abortSignal: abort.signal },
      );
      messages = response.Messages ?? [];
    } catch (error) {
      if (!running) break;
      errors++;
      // A failing endpoint is retried with the short wait: a dead queue is noticed as soon as
      // before the quiet wait existed.
      empty = false;
      post({
        type: "warning",
        message: `status queue receive failed (${
          error instanceof Error ? error.message : String(error)
        }); retrying`,
      });
      post({ type: "events", events: [], received: 0, malformed: 0, foreign: 0, errors: 1 });
      await abortableSleep(Math.min(5000, 250 * 2 ** Math.min(errors, 5)), abort.signal);
      continue;
    }
    errors = 0;
    empty = messages.length === 0;
    const now = Date.now();
    const events: StatusEvent[] = [];
    const toDelete: Message[] = [];
    const toHandBack: Message[] = [];
    let malformed = 0;
    let foreign = 0;
    /** Messages in this receive seen for the first time (or ours). */
    let fresh = 0;
    for (const message of messages) {
      const parsed = parseStatusMessage(message.Body ?? "");
      if (!parsed) {
        if (!setup.keepForeign) {
          malformed++;
          fresh++;
          toDelete.push(message);
        } else {
          // Not a status this tool understands: maybe another consumer's; leave it to them.
          toHandBack.push(message);
          if (rememberForeign(message.MessageId ?? message.ReceiptHandle ?? "")) {
            malformed++;
            fresh++;
          }
        }
        continue;
      }
      const event: StatusEvent = { ...parsed, receivedAt: now };
      if (!setup.keepForeign || known.has(parsed.jobId)) {
        events.push(event);
        toDelete.push(message);
        fresh++;
      } else if (jobIdPrefix && !parsed.jobId.startsWith(jobIdPrefix)) {
        // Another run's (or another tool's) job: hand it back at once.
        toHandBack.push(message);
        if (rememberForeign(message.MessageId ?? message.ReceiptHandle ?? "")) {
          foreign++;
          fresh++;
        }
      } else if (message.MessageId && foreignSeen.has(message.MessageId)) {
        // Held once already and never claimed: not ours after all.
        toHandBack.push(message);
      } else if (message.MessageId && !held.has(message.MessageId)) {
        fresh++;
        if (held.size >= HELD_LIMIT) {
          // Full: the oldest held message is handed back and counted as foreign.
          const oldest = held.keys().next().value!;
          toHandBack.push(held.get(oldest)!.message);
          held.delete(oldest);
          if (rememberForeign(oldest)) foreign++;
        }
        held.set(message.MessageId, { message, jobId: parsed.jobId, event, since: now });
      }
    }
    foreign += releaseHeld(events, toDelete, toHandBack, now);
    try {
      await deleteMessages(sqs, setup.queueUrl, toDelete);
    } catch (error) {
      post({
        type: "warning",
        message: `status message delete failed (${
          error instanceof Error ? error.message : String(error)
        })`,
      });
    }
    try {
      await handBack(sqs, setup.queueUrl, toHandBack);
    } catch (error) {
      post({
        type: "warning",
        message: `handing status messages back failed (${
          error instanceof Error ? error.message : String(error)
        }); they become visible again after the visibility timeout`,
      });
    }
    // A quiet queue still says now and then that it answers (the run gives up waiting for jobs
    // when the status queue stops answering).
    if (events.length || messages.length || foreign || now - lastHeartbeat >= HEARTBEAT_MS) {
      lastHeartbeat = now;
      post({ type: "events", events, received: messages.length, malformed, foreign, errors: 0 });
    }
    // Only receives that bring something new call for more pollers.
    if (messages.length === 10 && fresh > 0 && pollers < MAX_POLLERS) {
      startPoller(sqs, setup, false);
    }
    if (!permanent && (messages.length < 10 || fresh === 0)) break;
    if (messages.length > 0 && fresh === 0) await abortableSleep(REPEAT_PAUSE_MS, abort.signal);
    // A short answer means the queue is quiet: let statuses gather before the next receive, so
    // each receive and delete carries a batch (completion times come from SNS's publish time).
    else if (messages.length > 0 && messages.length < 10) {
      await abortableSleep(QUIET_PAUSE_MS, abort.signal);
    }
  }
}

/**
 * Move held messages whose job became known into `events` (to delete); hand
 * back those whose grace ran out, counting them as foreign.
 */
function releaseHeld(
  events: StatusEvent[],
  toDelete: Message[],
  toHandBack: Message[],
  now: number,
): number {
  let foreign = 0;
  for (const [id, entry] of held) {
    if (known.has(entry.jobId)) {
      events.push(entry.event);
      toDelete.push(entry.message);
      held.delete(id);
    } else if (now - entry.since > GRACE_MS) {
      held.delete(id);
      toHandBack.push(entry.message);
      if (rememberForeign(id)) foreign++;
    }
  }
  return foreign;
}

/** Remember a foreign message id (bounded); true when it was new. */
function rememberForeign(id: string): boolean {
  if (foreignSeen.has(id)) return false;
  foreignSeen.add(id);
  if (foreignSeen.size > HELD_LIMIT) foreignSeen.delete(foreignSeen.values().next().value!);
  return true;
}

self.onmessage = (event: MessageEvent<ToMonitorWorker>) => {
  const message = event.data;
  if (message.type === "init") {
    jobIdPrefix = message.jobIdPrefix ?? "";
    loop(message).then(
      () => post({ type: "stopped" }),
      (error) => post({ type: "fatal", message: String(error) }),
    );
  } else if (message.type === "known") {
    for (const id of message.jobIds) known.add(id);
  } else if (message.type === "stop") {
    running = false;
    abort.abort();
    abort = new AbortController();
  }
};
