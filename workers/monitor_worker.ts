/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * The status monitor worker: long-polls the status queue (10 messages, 5 s
 * wait, 30 s visibility, as upstream; several polls at once), parses each SNS envelope, sends the
 * events to the main thread, and deletes messages with DeleteMessageBatch.
 * By default every received message is deleted, as upstream does; with
 * `keepForeign`, messages for jobs this run did not submit are left on the
 * queue for other consumers (they are held for a grace period first, since a
 * status can arrive before the job's registration reaches the monitor).
 * @module
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { sqsClient } from "../mod/aws/sqs_client.ts";
import { abortableSleep } from "../mod/engine/abortable_sleep.ts";
import { parseStatusMessage } from "../mod/engine/status_message.ts";
import type { FromMonitorWorker, StatusEvent, ToMonitorWorker } from "../mod/engine/protocol.ts";

type Init = Extract<ToMonitorWorker, { type: "init" }>;

const GRACE_MS = 10_000;
/** Most foreign messages held or remembered at once: a busy shared queue cannot grow memory. */
const HELD_LIMIT = 10_000;
const known = new Set<string>();
const held = new Map<
  string,
  { message: Message; jobId: string; event: StatusEvent; since: number }
>();
const foreignSeen = new Set<string>();
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

/**
 * Most concurrent long polls. One receive-parse-delete round trip takes a few
 * milliseconds, so a single poller caps the drain rate near 700 messages/s.
 * One poller always runs; while receives come back full (10 messages) more
 * join, up to this many, and each extra one leaves when a receive comes back
 * short, so a quiet queue costs one long poll at a time.
 */
const MAX_POLLERS = 8;
/** Pause after a receive that came back short. */
const QUIET_PAUSE_MS = 1_000;
let pollers = 0;
const pollersDone: Promise<void>[] = [];

async function loop(setup: Init): Promise<void> {
  const sqs = sqsClient({ region: setup.region, timeoutMs: setup.awsTimeoutMs });
  startPoller(sqs, setup, true);
  // Wait for every poller, including those that join later.
  for (let i = 0; i < pollersDone.length; i++) await pollersDone[i];
  sqs.destroy();
}

function startPoller(sqs: SQSClient, setup: Init, permanent: boolean): void {
  pollers++;
  pollersDone.push(poll(sqs, setup, permanent).finally(() => pollers--));
}

async function poll(sqs: SQSClient, setup: Init, permanent: boolean): Promise<void> {
  let errors = 0;
  while (running) {
    let messages: Message[] = [];
    try {
      const response = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: setup.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: setup.waitTimeSeconds,
          VisibilityTimeout: setup.visibilityTimeout,
        }),
        { abortSignal: abort.signal },
      );
      messages = response.Messages ?? [];
      if (messages.length === 10 && pollers < MAX_POLLERS) startPoller(sqs, setup, false);
    } catch (error) {
      if (!running) break;
      errors++;
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
    const now = Date.now();
    const events: StatusEvent[] = [];
    const toDelete: Message[] = [];
    let malformed = 0;
    for (const message of messages) {
      const parsed = parseStatusMessage(message.Body ?? "");
      if (!parsed) {
        malformed++;
        toDelete.push(message);
        continue;
      }
      const event: StatusEvent = { ...parsed, receivedAt: now };
      if (!setup.keepForeign || known.has(parsed.jobId)) {
        events.push(event);
        toDelete.push(message);
      } else if (message.MessageId && !held.has(message.MessageId)) {
        if (held.size >= HELD_LIMIT) {
          // Full: the oldest held message is counted as foreign and left on the queue.
          const oldest = held.keys().next().value!;
          held.delete(oldest);
          rememberForeign(oldest);
        }
        held.set(message.MessageId, { message, jobId: parsed.jobId, event, since: now });
      }
    }
    const foreign = releaseHeld(events, toDelete, now);
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
    if (events.length || messages.length || foreign) {
      post({ type: "events", events, received: messages.length, malformed, foreign, errors: 0 });
    }
    if (!permanent && messages.length < 10) break;
    // A short answer means the queue is quiet: let statuses gather before the next receive, so
    // each receive and delete carries a batch (completion times come from SNS's publish time).
    if (messages.length < 10) await abortableSleep(QUIET_PAUSE_MS, abort.signal);
  }
}

/** Move held messages whose job became known into `events`; count the expired as foreign. */
function releaseHeld(events: StatusEvent[], toDelete: Message[], now: number): number {
  let foreign = 0;
  for (const [id, entry] of held) {
    if (known.has(entry.jobId)) {
      events.push(entry.event);
      toDelete.push(entry.message);
      held.delete(id);
    } else if (now - entry.since > GRACE_MS) {
      held.delete(id);
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
