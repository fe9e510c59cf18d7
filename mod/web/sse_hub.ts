/**
 * Server-sent events for the web UI: each subscriber is one open
 * `text/event-stream` response; the hub sends named JSON events to all of
 * them and closes them all on shutdown (so `Deno.serve` can stop).
 *
 * Bounded: each stream queues at most {@linkcode MAX_QUEUED_CHUNKS} chunks.
 * A browser that reads slower than the hub broadcasts (a stalled tab, a slow
 * link) does not make the queue grow: broadcasts that find its queue full are
 * coalesced into one pending event, built from the newest state only when the
 * browser reads again. Events are built per client and lazily, so the caller's
 * per-client state (e.g. a timeline cursor) only moves when an event really
 * goes out, and a coalesced event still carries everything the skipped ones had.
 *
 * @example
 * ```ts
 * import { SseHub } from "./sse_hub.ts";
 * const hub = new SseHub<{ seen: number }>();
 * const response = hub.subscribe({ seen: 0 });
 * if (response.headers.get("content-type") !== "text/event-stream; charset=utf-8") {
 *   throw new Error("an event stream");
 * }
 * hub.broadcast((client) => ({ event: "hello", data: { seen: client.state.seen } }));
 * hub.close();
 * await response.body?.cancel();
 * ```
 * @module
 */

/** Chunks one stream may hold unread before broadcasts to it are coalesced. */
export const MAX_QUEUED_CHUNKS = 2;

/** One connected browser. `state` is the caller's per-client data (e.g. a timeline cursor). */
export interface SseClient<S> {
  readonly id: number;
  state: S;
}

/** An event to send: a name and a JSON-serialisable payload. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** Builds the event for one client (undefined: nothing for it). */
export type SseMaker<S> = (client: SseClient<S>) => SseEvent | undefined;

interface Subscriber<S> extends SseClient<S> {
  controller: ReadableStreamDefaultController<Uint8Array>;
  /** The newest broadcast that found the queue full; sent when the browser reads. */
  pending: SseMaker<S> | undefined;
}

/** Counters of a hub, for tests and diagnostics. */
export interface SseHubStats {
  /** Subscribers connected now. */
  subscribers: number;
  /** Events sent so far, to all subscribers. */
  sent: number;
  /** Broadcasts folded into a later event because a subscriber's queue was full. */
  coalesced: number;
}

/**
 * A set of event-stream subscribers.
 *
 * @example
 * ```ts
 * import { SseHub } from "./sse_hub.ts";
 * const hub = new SseHub<null>();
 * if (hub.size !== 0) throw new Error("empty");
 * hub.close();
 * ```
 */
export class SseHub<S> {
  #subscribers = new Map<number, Subscriber<S>>();
  #nextId = 1;
  #encoder = new TextEncoder();
  #closed = false;
  #sent = 0;
  #coalesced = 0;

  /** Subscribers connected now. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Counters: subscribers, events sent, broadcasts coalesced. */
  stats(): SseHubStats {
    return { subscribers: this.size, sent: this.#sent, coalesced: this.#coalesced };
  }

  /**
   * Open a stream for a new subscriber with initial `state`; `first`, when
   * given, is sent to it at once. Returns the response to hand to the browser.
   */
  subscribe(state: S, first?: SseMaker<S>): Response {
    const id = this.#nextId++;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        if (this.#closed) {
          controller.close();
          return;
        }
        const subscriber: Subscriber<S> = { id, state, controller, pending: undefined };
        this.#subscribers.set(id, subscriber);
        // Tell EventSource to retry after 1 s if the connection drops.
        controller.enqueue(this.#encoder.encode("retry: 1000\n\n"));
        if (first) this.#send(subscriber, first);
      },
      pull: () => {
        const subscriber = this.#subscribers.get(id);
        if (subscriber?.pending) {
          const make = subscriber.pending;
          subscriber.pending = undefined;
          this.#send(subscriber, make);
        }
      },
      cancel: () => {
        this.#subscribers.delete(id);
      },
    }, new CountQueuingStrategy({ highWaterMark: MAX_QUEUED_CHUNKS }));
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  }

  /**
   * Send each subscriber the event `make` builds for it. A subscriber whose
   * queue is full gets it later, built then, folded with any later broadcast.
   */
  broadcast(make: SseMaker<S>): void {
    for (const subscriber of [...this.#subscribers.values()]) {
      const room = subscriber.controller.desiredSize;
      // An older pending broadcast is folded into this newer one either way.
      if (subscriber.pending !== undefined) this.#coalesced++;
      if (room !== null && room > 0) {
        subscriber.pending = undefined;
        this.#send(subscriber, make);
      } else subscriber.pending = make;
    }
  }

  /** Send what is pending, end every stream; later subscribers get a closed stream. */
  close(): void {
    this.#closed = true;
    for (const subscriber of this.#subscribers.values()) {
      if (subscriber.pending) this.#send(subscriber, subscriber.pending);
      try {
        subscriber.controller.close();
      } catch {
        // already closed by the browser
      }
    }
    this.#subscribers.clear();
  }

  #send(subscriber: Subscriber<S>, make: SseMaker<S>): void {
    const event = make(subscriber);
    if (event === undefined) return;
    const text = `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
    try {
      subscriber.controller.enqueue(this.#encoder.encode(text));
      this.#sent++;
    } catch {
      this.#subscribers.delete(subscriber.id);
    }
  }
}
