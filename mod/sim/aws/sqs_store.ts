/**
 * The simulator's SQS queues, in memory: visible messages in a FIFO deque,
 * in-flight messages in a Map keyed by receipt handle with a deadline heap for
 * visibility expiry, delayed messages in a heap, long-poll waiters woken as soon
 * as a message becomes visible, and redrive to a dead-letter queue after
 * `maxReceiveCount` receives. Receive cost does not grow with queue depth.
 *
 * Used over HTTP by `sqs_api.ts` and directly (in-process) by the simulated
 * Model Runner.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SqsStore } from "./sqs_store.ts";
 * const store = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * const q = store.create("jobs", {});
 * q.send("hello");
 * const [m] = await q.receive({ max: 1, waitMs: 0 });
 * assert.equal(m?.message.body, "hello");
 * assert.deepEqual(q.counts(), { visible: 0, inflight: 1, delayed: 0 });
 * q.delete(m!.receiptHandle);
 * assert.deepEqual(q.counts(), { visible: 0, inflight: 0, delayed: 0 });
 * store.close();
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";
import { Deque } from "./deque.ts";
import { md5Hex, type MessageAttributeValue } from "./md5.ts";
import { MinHeap } from "./min_heap.ts";

/** A queue's configuration, as its SQS attributes say it. */
export interface QueueConfig {
  /** Seconds a received message stays invisible (0–43,200; default 30). */
  visibilityTimeout: number;
  /** Seconds before a sent message becomes visible (0–900; default 0). */
  delaySeconds: number;
  /** Seconds a message is kept (60–1,209,600; default 345,600). */
  messageRetentionPeriod: number;
  /** Default long-poll wait, seconds (0–20; default 0). */
  receiveMessageWaitTimeSeconds: number;
  /** Largest body in bytes (default 262,144). */
  maximumMessageSize: number;
  /** Dead-letter queue target and receive limit, when set. */
  redrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
  /** The queue's access policy (JSON), when set; SNS delivery checks it. */
  policy?: string;
}

/** One message as stored. */
export interface SqsMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: Record<string, MessageAttributeValue> | undefined;
  readonly sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp: number;
  /** The receipt handle of the current receive, while in flight. */
  receiptHandle: string;
  /** When an in-flight message becomes visible again (ms since epoch). */
  visibleAt: number;
  state: "visible" | "inflight" | "delayed" | "gone";
  /** ARN of the queue it was moved from by redrive. */
  deadLetterQueueSourceArn?: string;
}

/** What a receive returns for one message. */
export interface ReceivedMessage {
  message: SqsMessage;
  receiptHandle: string;
}

/** Options of {@linkcode SqsQueue.receive}. */
export interface ReceiveOptions {
  /** 1–10 messages at most. */
  max: number;
  /** Visibility timeout in seconds for these messages (default: the queue's). */
  visibilityTimeout?: number | undefined;
  /** Long-poll time in ms; 0 returns at once. */
  waitMs: number;
  /** Abort the wait (returns what is there, usually nothing). */
  signal?: AbortSignal | undefined;
}

/** Message counts as GetQueueAttributes reports them. */
export interface QueueCounts {
  visible: number;
  inflight: number;
  delayed: number;
}

interface Waiter {
  max: number;
  visibilityTimeout: number | undefined;
  resolve: (messages: ReceivedMessage[]) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  done: boolean;
}

/**
 * Default queue attributes (as AWS's defaults).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { DEFAULT_QUEUE_CONFIG } from "./sqs_store.ts";
 * assert.equal(DEFAULT_QUEUE_CONFIG.visibilityTimeout, 30);
 * ```
 */
export const DEFAULT_QUEUE_CONFIG: QueueConfig = {
  visibilityTimeout: 30,
  delaySeconds: 0,
  messageRetentionPeriod: 345_600,
  receiveMessageWaitTimeSeconds: 0,
  maximumMessageSize: 262_144,
};

let handleCounter = 0;
const HANDLE_PATTERN = /^AQEB[0-9a-z]+-[0-9a-z]+-[0-9a-z]+$/;

/**
 * One SQS standard queue.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SqsStore } from "./sqs_store.ts";
 * const store = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * const queue = store.create("q", { visibilityTimeout: 1 });
 * queue.send("hi");
 * assert.deepEqual(queue.counts(), { visible: 1, inflight: 0, delayed: 0 });
 * store.close();
 * ```
 */
export class SqsQueue {
  /** The queue name. */
  readonly name: string;
  /** `arn:aws:sqs:<region>:<account>:<name>`. */
  readonly arn: string;
  /** The simulator-form URL, `http://127.0.0.1:PORT/<account>/<name>`. */
  readonly url: string;
  /** Seconds since epoch when it was created. */
  readonly createdTimestamp: number;
  /** Tags (given at creation, changed by TagQueue / UntagQueue). */
  readonly tags: Record<string, string>;
  /** Current configuration (mutable through `setConfig`). */
  config: QueueConfig;
  /** Seconds since epoch of the last attribute change. */
  lastModifiedTimestamp: number;

  #store: SqsStore;
  #visible = new Deque<SqsMessage>();
  #inflight = new Map<string, SqsMessage>();
  #inflightHeap = new MinHeap<SqsMessage>();
  #delayed = new MinHeap<SqsMessage>();
  #delayedCount = 0;
  #waiters = new Deque<Waiter>();
  #waiterCount = 0;
  #wakeTimer: ReturnType<typeof setTimeout> | undefined;
  #wakeAt = Infinity;
  #seq = 0;

  /** Made by {@linkcode SqsStore.create}. */
  constructor(
    store: SqsStore,
    name: string,
    arn: string,
    url: string,
    config: QueueConfig,
    tags: Record<string, string>,
  ) {
    this.#store = store;
    this.name = name;
    this.arn = arn;
    this.url = url;
    this.config = config;
    this.tags = tags;
    this.createdTimestamp = Math.floor(Date.now() / 1000);
    this.lastModifiedTimestamp = this.createdTimestamp;
  }

  /** Send a message; returns it (with id and MD5). */
  send(
    body: string,
    options: {
      delaySeconds?: number | undefined;
      messageAttributes?: Record<string, MessageAttributeValue> | undefined;
      deadLetterQueueSourceArn?: string | undefined;
      messageId?: string | undefined;
      sentTimestamp?: number | undefined;
    } = {},
  ): SqsMessage {
    const now = Date.now();
    const delay = options.delaySeconds ?? this.config.delaySeconds;
    const message: SqsMessage = {
      messageId: options.messageId ?? crypto.randomUUID(),
      body,
      md5OfBody: md5Hex(body),
      messageAttributes: options.messageAttributes,
      sentTimestamp: options.sentTimestamp ?? now,
      receiveCount: 0,
      firstReceiveTimestamp: 0,
      receiptHandle: "",
      visibleAt: now + delay * 1000,
      state: delay > 0 ? "delayed" : "visible",
    };
    if (options.deadLetterQueueSourceArn !== undefined) {
      message.deadLetterQueueSourceArn = options.deadLetterQueueSourceArn;
    }
    if (delay > 0) {
      this.#delayed.push(message.visibleAt, message);
      this.#delayedCount++;
      if (this.#waiterCount > 0) this.#scheduleWake();
    } else {
      this.#visible.push(message);
      if (this.#waiterCount > 0) this.#serveWaiters();
    }
    return message;
  }

  /**
   * Receive up to `max` messages. Returns at once when some are visible;
   * otherwise waits up to `waitMs` and returns as soon as one arrives.
   */
  receive(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const now = Date.now();
    this.#pump(now);
    const got = this.#take(options.max, options.visibilityTimeout, now);
    if (got.length > 0 || options.waitMs <= 0 || this.#store.closed || options.signal?.aborted) {
      return Promise.resolve(got);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        max: options.max,
        visibilityTimeout: options.visibilityTimeout,
        resolve,
        timer: undefined,
        signal: options.signal,
        onAbort: undefined,
        done: false,
      };
      waiter.timer = setTimeout(() => this.#finishWaiter(waiter, []), options.waitMs);
      if (options.signal) {
        waiter.onAbort = () => this.#finishWaiter(waiter, []);
        options.signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      this.#waiterCount++;
      this.#store.registerWaiting(this);
      this.#scheduleWake();
    });
  }

  /** Delete the in-flight message with this receipt handle. Unknown handles are ignored. */
  delete(receiptHandle: string): boolean {
    checkHandle(receiptHandle);
    const message = this.#inflight.get(receiptHandle);
    if (!message) return false;
    this.#inflight.delete(receiptHandle);
    message.state = "gone";
    this.#compactHeap();
    return true;
  }

  /** Change the visibility timeout of an in-flight message (0 makes it visible now). */
  changeVisibility(receiptHandle: string, seconds: number): void {
    checkHandle(receiptHandle);
    const message = this.#inflight.get(receiptHandle);
    if (!message) {
      throw new AwsError(
        400,
        "MessageNotInflight",
        "The message referred to isn't in flight: receive it again and use the new receipt handle.",
        { queryCode: "AWS.SimpleQueueService.MessageNotInflight" },
      );
    }
    const now = Date.now();
    if (seconds <= 0) {
      this.#inflight.delete(receiptHandle);
      message.state = "visible";
      message.receiptHandle = "";
      this.#visible.push(message);
      if (this.#waiterCount > 0) this.#serveWaiters();
      return;
    }
    message.visibleAt = now + seconds * 1000;
    this.#inflightHeap.push(message.visibleAt, message);
    if (this.#waiterCount > 0) this.#scheduleWake();
  }

  /** Delete every message (visible, in flight and delayed). */
  purge(): void {
    for (const m of this.#visible.toArray()) m.state = "gone";
    for (const m of this.#inflight.values()) m.state = "gone";
    this.#visible.clear();
    this.#inflight.clear();
    this.#inflightHeap.clear();
    this.#delayed.clear();
    this.#delayedCount = 0;
  }

  /** Approximate counts, after applying expired deadlines. */
  counts(): QueueCounts {
    this.#pump(Date.now());
    return {
      visible: this.#visible.length,
      inflight: this.#inflight.size,
      delayed: this.#delayedCount,
    };
  }

  /** The visible messages, front first (for tests; a copy). */
  peekVisible(): SqsMessage[] {
    this.#pump(Date.now());
    return this.#visible.toArray();
  }

  /** Release every long-poll waiter and timer (on close). */
  shutdown(): void {
    while (this.#waiters.length > 0) {
      const w = this.#waiters.shift()!;
      this.#finishWaiter(w, []);
    }
    if (this.#wakeTimer !== undefined) clearTimeout(this.#wakeTimer);
    this.#wakeTimer = undefined;
    this.#wakeAt = Infinity;
  }

  // Move due delayed messages and expired in-flight messages to the visible deque.
  #pump(now: number): void {
    for (;;) {
      const top = this.#delayed.peek();
      if (!top || top.key > now) break;
      this.#delayed.pop();
      const m = top.value;
      if (m.state !== "delayed") continue;
      this.#delayedCount--;
      m.state = "visible";
      this.#visible.push(m);
    }
    for (;;) {
      const top = this.#inflightHeap.peek();
      if (!top || top.key > now) break;
      this.#inflightHeap.pop();
      const m = top.value;
      if (m.state !== "inflight" || m.visibleAt !== top.key) continue;
      this.#inflight.delete(m.receiptHandle);
      m.receiptHandle = "";
      m.state = "visible";
      this.#visible.push(m);
    }
  }

  #take(max: number, visibilityTimeout: number | undefined, now: number): ReceivedMessage[] {
    const out: ReceivedMessage[] = [];
    const visibility = visibilityTimeout ?? this.config.visibilityTimeout;
    const retentionMs = this.config.messageRetentionPeriod * 1000;
    const redrive = this.config.redrivePolicy;
    const stillVisible: SqsMessage[] = [];
    while (out.length < max) {
      const m = this.#visible.shift();
      if (!m) break;
      if (m.state !== "visible") continue;
      if (now - m.sentTimestamp > retentionMs) {
        m.state = "gone";
        continue;
      }
      if (redrive && m.receiveCount >= redrive.maxReceiveCount) {
        const dlq = this.#store.byArn(redrive.deadLetterTargetArn);
        m.state = "gone";
        if (dlq) {
          dlq.send(m.body, {
            messageAttributes: m.messageAttributes,
            deadLetterQueueSourceArn: this.arn,
            messageId: m.messageId,
            sentTimestamp: m.sentTimestamp,
            delaySeconds: 0,
          });
        }
        continue;
      }
      m.receiveCount++;
      if (m.firstReceiveTimestamp === 0) m.firstReceiveTimestamp = now;
      const handle = `AQEB${(++handleCounter).toString(36)}-${m.receiveCount.toString(36)}-${
        Math.floor(Math.random() * 2 ** 40).toString(36)
      }`;
      if (visibility <= 0) {
        // Visible again at once: deliver, but leave it at the front for others.
        m.receiptHandle = "";
        out.push({ message: m, receiptHandle: handle });
        stillVisible.push(m);
        continue;
      }
      m.state = "inflight";
      m.receiptHandle = handle;
      m.visibleAt = now + visibility * 1000;
      this.#inflight.set(handle, m);
      this.#inflightHeap.push(m.visibleAt, m);
      out.push({ message: m, receiptHandle: handle });
    }
    for (const m of stillVisible) this.#visible.push(m);
    return out;
  }

  #serveWaiters(): void {
    const now = Date.now();
    while (this.#waiters.length > 0 && this.#visible.length > 0) {
      const w = this.#waiters.shift()!;
      if (w.done) continue;
      const got = this.#take(w.max, w.visibilityTimeout, now);
      if (got.length === 0) {
        this.#waiters.unshift(w);
        break;
      }
      this.#finishWaiter(w, got);
    }
  }

  #finishWaiter(w: Waiter, messages: ReceivedMessage[]): void {
    if (w.done) return;
    w.done = true;
    this.#waiterCount--;
    clearTimeout(w.timer);
    if (w.signal && w.onAbort) w.signal.removeEventListener("abort", w.onAbort);
    if (this.#waiterCount === 0 && this.#wakeTimer !== undefined) {
      clearTimeout(this.#wakeTimer);
      this.#wakeTimer = undefined;
      this.#wakeAt = Infinity;
    }
    w.resolve(messages);
  }

  // While long polls wait, keep one timer for the next deadline (delay or visibility).
  #scheduleWake(): void {
    const next = Math.min(
      this.#delayed.peek()?.key ?? Infinity,
      this.#inflightHeap.peek()?.key ?? Infinity,
    );
    if (next === Infinity || next >= this.#wakeAt) return;
    if (this.#wakeTimer !== undefined) clearTimeout(this.#wakeTimer);
    this.#wakeAt = next;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = undefined;
      this.#wakeAt = Infinity;
      this.#pump(Date.now());
      this.#serveWaiters();
      if (this.#waiterCount > 0) this.#scheduleWake();
    }, Math.max(0, next - Date.now()) + 1);
  }

  // Deleted messages leave stale heap entries; rebuild when they dominate.
  #compactHeap(): void {
    if (this.#inflightHeap.size > 2 * this.#inflight.size + 4096) {
      this.#inflightHeap.filter((e) => e.value.state === "inflight" && e.value.visibleAt === e.key);
    }
  }
}

function checkHandle(receiptHandle: string): void {
  if (!HANDLE_PATTERN.test(receiptHandle)) {
    throw new AwsError(
      404,
      "ReceiptHandleIsInvalid",
      `The input receipt handle "${receiptHandle}" is not a valid receipt handle: use the ReceiptHandle a ReceiveMessage returned.`,
      { queryCode: "ReceiptHandleIsInvalid" },
    );
  }
}

/** Where the store's queues live: region, account and the simulator's base URL. */
export interface SqsStoreOptions {
  region: string;
  account: string;
  /** `http://127.0.0.1:PORT`; queue URLs are `<baseUrl>/<account>/<name>`. */
  baseUrl: string;
}

/**
 * Every queue of the simulator.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SqsStore } from "./sqs_store.ts";
 * const store = new SqsStore({ region: "us-west-2", account: "123456789012", baseUrl: "http://127.0.0.1:4566" });
 * store.create("q", {});
 * assert.equal(store.byUrl("https://sqs.us-west-2.amazonaws.com/123456789012/q").name, "q");
 * store.close();
 * ```
 */
export class SqsStore {
  readonly region: string;
  readonly account: string;
  baseUrl: string;
  #queues = new Map<string, SqsQueue>();
  #waiting = new Set<SqsQueue>();
  #closed = false;

  /** Make an empty store. */
  constructor(options: SqsStoreOptions) {
    this.region = options.region;
    this.account = options.account;
    this.baseUrl = options.baseUrl;
  }

  /** True once {@linkcode SqsStore.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Create a queue, or return the existing one when the attributes given are
   * the same (AWS's rule); different attributes are `QueueNameExists`.
   */
  create(
    name: string,
    config: Partial<QueueConfig>,
    tags: Record<string, string> = {},
    givenAttributes: readonly (keyof QueueConfig)[] = Object.keys(config) as (keyof QueueConfig)[],
  ): SqsQueue {
    if (!/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name)) {
      throw new AwsError(
        400,
        "InvalidParameterValue",
        `Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length (got queue name "${name}").`,
        { queryCode: "InvalidParameterValue" },
      );
    }
    const existing = this.#queues.get(name);
    const full: QueueConfig = { ...DEFAULT_QUEUE_CONFIG, ...config };
    if (existing) {
      for (const key of givenAttributes) {
        if (JSON.stringify(existing.config[key]) !== JSON.stringify(full[key])) {
          throw new AwsError(
            400,
            "QueueNameExists",
            `A queue already exists with the same name and a different value for attribute ${key}: use the existing queue or another name.`,
            { queryCode: "QueueAlreadyExists" },
          );
        }
      }
      return existing;
    }
    const queue = new SqsQueue(
      this,
      name,
      `arn:aws:sqs:${this.region}:${this.account}:${name}`,
      `${this.baseUrl}/${this.account}/${name}`,
      full,
      tags,
    );
    this.#queues.set(name, queue);
    return queue;
  }

  /** The queue of this name, if any. */
  get(name: string): SqsQueue | undefined {
    return this.#queues.get(name);
  }

  /** The queue of this ARN, if any. */
  byArn(arn: string): SqsQueue | undefined {
    const name = arn.slice(arn.lastIndexOf(":") + 1);
    const q = this.#queues.get(name);
    return q && q.arn === arn ? q : undefined;
  }

  /**
   * The queue a URL names, in the AWS form
   * (`https://sqs.<region>.amazonaws.com/<account>/<name>`), the legacy
   * `queue.amazonaws.com` form, or the simulator's form. Throws
   * `QueueDoesNotExist` when there is no such queue.
   */
  byUrl(url: string): SqsQueue {
    const match = /^https?:\/\/[^/]+\/(\d{12})\/([^/?#]+)\/?$/.exec(url);
    const queue = match && match[1] === this.account ? this.#queues.get(match[2]!) : undefined;
    if (!queue) throw queueDoesNotExist(url);
    return queue;
  }

  /** Every queue, in creation order. */
  list(): SqsQueue[] {
    return [...this.#queues.values()];
  }

  /** Delete a queue. */
  remove(name: string): void {
    const q = this.#queues.get(name);
    if (q) {
      q.shutdown();
      this.#queues.delete(name);
    }
  }

  /** Note that a queue has long-poll waiters (so close can release them). */
  registerWaiting(queue: SqsQueue): void {
    this.#waiting.add(queue);
  }

  /** Release every waiter and timer; the store answers no more long polls. */
  close(): void {
    this.#closed = true;
    for (const q of this.#queues.values()) q.shutdown();
    this.#waiting.clear();
  }
}

/**
 * The `QueueDoesNotExist` error, as SQS sends it.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { queueDoesNotExist } from "./sqs_store.ts";
 * assert.equal(queueDoesNotExist("MyQueue").details.queryCode, "AWS.SimpleQueueService.NonExistentQueue");
 * ```
 */
export function queueDoesNotExist(what: string): AwsError {
  return new AwsError(
    400,
    "QueueDoesNotExist",
    `The specified queue does not exist (${what}): create it first or check the queue URL/name and region.`,
    { queryCode: "AWS.SimpleQueueService.NonExistentQueue" },
  );
}
