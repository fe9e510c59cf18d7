/**
 * Server-sent events for the web UI: each subscriber is one open
 * `text/event-stream` response; the hub sends named JSON events to all of
 * them and closes them all on shutdown (so `Deno.serve` can stop).
 *
 * @example
 * ```ts
 * import { SseHub } from "./sse_hub.ts";
 * const hub = new SseHub<{ seen: number }>();
 * const response = hub.subscribe({ seen: 0 });
 * response.headers.get("content-type"); // "text/event-stream; charset=utf-8"
 * hub.broadcast((client) => ({ event: "hello", data: { seen: client.state.seen } }));
 * hub.close();
 * ```
 * @module
 */

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

interface Subscriber<S> extends SseClient<S> {
  controller: ReadableStreamDefaultController<Uint8Array>;
}

/**
 * A set of event-stream subscribers.
 *
 * @example
 * ```ts
 * import { SseHub } from "./sse_hub.ts";
 * const hub = new SseHub<null>();
 * hub.size; // 0
 * hub.close();
 * ```
 */
export class SseHub<S> {
  #subscribers = new Map<number, Subscriber<S>>();
  #nextId = 1;
  #encoder = new TextEncoder();
  #closed = false;

  /** Subscribers connected now. */
  get size(): number {
    return this.#subscribers.size;
  }

  /**
   * Open a stream for a new subscriber with initial `state`; `first`, when
   * given, is sent to it at once. Returns the response to hand to the browser.
   */
  subscribe(state: S, first?: (client: SseClient<S>) => SseEvent | undefined): Response {
    const id = this.#nextId++;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        if (this.#closed) {
          controller.close();
          return;
        }
        const subscriber: Subscriber<S> = { id, state, controller };
        this.#subscribers.set(id, subscriber);
        // Tell EventSource to retry after 1 s if the connection drops.
        controller.enqueue(this.#encoder.encode("retry: 1000\n\n"));
        const event = first?.(subscriber);
        if (event) this.#send(subscriber, event);
      },
      cancel: () => {
        this.#subscribers.delete(id);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  }

  /** Send each subscriber the event `make` builds for it (undefined: nothing). */
  broadcast(make: (client: SseClient<S>) => SseEvent | undefined): void {
    for (const subscriber of [...this.#subscribers.values()]) {
      const event = make(subscriber);
      if (event) this.#send(subscriber, event);
    }
  }

  /** End every stream; later subscribers get a closed stream. */
  close(): void {
    this.#closed = true;
    for (const subscriber of this.#subscribers.values()) {
      try {
        subscriber.controller.close();
      } catch {
        // already closed by the browser
      }
    }
    this.#subscribers.clear();
  }

  #send(subscriber: Subscriber<S>, event: SseEvent): void {
    const text = `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
    try {
      subscriber.controller.enqueue(this.#encoder.encode(text));
    } catch {
      this.#subscribers.delete(subscriber.id);
    }
  }
}
