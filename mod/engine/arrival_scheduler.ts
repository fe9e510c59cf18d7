/**
 * The open model's clock, one per user worker: it emits scheduled submission
 * times at a rate (jobs/s), hands each to a free user, and counts what could
 * not go on time. A time handed to a user that was already waiting is on
 * time; one that had to wait for a user is `late`; one that waited longer
 * than `maxLatenessMs` is `dropped` (counted, never sent). Lateness (send
 * start minus scheduled time) goes into a response-time-style histogram.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ArrivalScheduler } from "./arrival_scheduler.ts";
 * let now = 0;
 * const clock = new ArrivalScheduler({ maxLatenessMs: 1000, now: () => now });
 * clock.setRate(10);
 * now = 1000;
 * clock.tick(); // 10 scheduled times are now pending (no user asked yet)
 * assert.equal(clock.takeDelta()?.scheduled, 10);
 * ```
 * @module
 */
import { bucketOf } from "../stats/response_times.ts";

/** What the scheduler counted since the last delta (adds up across workers). */
export interface ArrivalDelta {
  scheduled: number;
  sent: number;
  late: number;
  dropped: number;
  /** Lateness histogram: bucket (ms) → count, as `[bucket, count]` pairs. */
  lateness: Array<[number, number]>;
}

/** Options of {@linkcode ArrivalScheduler}. */
export interface ArrivalSchedulerOptions {
  /** A scheduled time that waits longer than this for a user is dropped. */
  maxLatenessMs: number;
  /** The clock (ms since epoch); default `Date.now`. */
  now?: () => number;
  /** Phase (0–1) of the first submission, so workers interleave. */
  phase?: number;
}

/** Emits scheduled times and hands them to users. */
export class ArrivalScheduler {
  #rate = 0;
  #acc: number;
  #last: number | undefined;
  #pending: number[] = [];
  #pendingHead = 0;
  #waiting: Array<(scheduledAt: number | undefined) => void> = [];
  #maxLateness: number;
  #now: () => number;
  #delta = { scheduled: 0, sent: 0, late: 0, dropped: 0 };
  #lateness = new Map<number, number>();

  constructor(options: ArrivalSchedulerOptions) {
    this.#maxLateness = options.maxLatenessMs;
    this.#now = options.now ?? Date.now;
    this.#acc = options.phase ?? 0;
  }

  /**
   * Jobs per second from `since` on (default now; 0 pauses the clock). A
   * `since` in the past makes the clock catch up at once, so the count of
   * scheduled submissions is exact even when the message arrives late.
   */
  setRate(perSecond: number, since: number = this.#now()): void {
    const at = Math.min(since, this.#now());
    if (this.#last !== undefined) this.tick(Math.max(at, this.#last));
    this.#rate = Math.max(0, perSecond);
    this.#last ??= at;
  }

  /** The current rate. */
  get rate(): number {
    return this.#rate;
  }

  /** Emit every submission due by `upTo` (default now); drop the ones that waited too long. */
  tick(upTo?: number): void {
    const now = upTo ?? this.#now();
    if (this.#last !== undefined && this.#rate > 0) {
      this.#acc += (this.#rate * (now - this.#last)) / 1000;
      const intervalMs = 1000 / this.#rate;
      const due: number[] = [];
      while (this.#acc >= 1) {
        this.#acc -= 1;
        due.push(now - this.#acc * intervalMs);
      }
      for (const at of due) this.#emit(at, now);
    }
    this.#last = now;
    while (this.#pendingHead < this.#pending.length) {
      const oldest = this.#pending[this.#pendingHead]!;
      if (now - oldest <= this.#maxLateness) break;
      this.#pendingHead++;
      this.#delta.dropped++;
    }
    this.#compact();
  }

  /** Milliseconds until the next submission is due (for the worker's timer). */
  msUntilNext(): number {
    if (this.#rate <= 0) return 50;
    return Math.max(1, Math.ceil(((1 - this.#acc) * 1000) / this.#rate));
  }

  /**
   * The next scheduled time for a free user: at once when one is pending,
   * else when the clock emits one; undefined when `signal` aborts.
   */
  next(signal: AbortSignal): Promise<number | undefined> {
    const now = this.#now();
    while (this.#pendingHead < this.#pending.length) {
      const at = this.#pending[this.#pendingHead++]!;
      if (now - at > this.#maxLateness) {
        this.#delta.dropped++;
        continue;
      }
      this.#compact();
      this.#delta.late++;
      this.#hand(at, now);
      return Promise.resolve(at);
    }
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter = (at: number | undefined) => {
        signal.removeEventListener("abort", onAbort);
        resolve(at);
      };
      const onAbort = () => {
        const i = this.#waiting.indexOf(waiter);
        if (i >= 0) this.#waiting.splice(i, 1);
        resolve(undefined);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  /** Counts since the last call, or undefined when nothing happened. */
  takeDelta(): ArrivalDelta | undefined {
    const d = this.#delta;
    if (!d.scheduled && !d.sent && !d.late && !d.dropped) return undefined;
    const delta: ArrivalDelta = { ...d, lateness: [...this.#lateness] };
    this.#delta = { scheduled: 0, sent: 0, late: 0, dropped: 0 };
    this.#lateness = new Map();
    return delta;
  }

  /** Count every scheduled time still waiting for a user as dropped (the run is ending). */
  dropPending(): void {
    this.#delta.dropped += this.#pending.length - this.#pendingHead;
    this.#pending = [];
    this.#pendingHead = 0;
    this.#rate = 0;
  }

  /** Scheduled times waiting for a user. */
  get backlog(): number {
    return this.#pending.length - this.#pendingHead;
  }

  #emit(at: number, now: number): void {
    this.#delta.scheduled++;
    const waiter = this.#waiting.shift();
    if (waiter) {
      this.#hand(at, now);
      waiter(at);
    } else {
      this.#pending.push(at);
    }
  }

  #hand(at: number, now: number): void {
    this.#delta.sent++;
    const bucket = bucketOf(Math.max(0, now - at));
    this.#lateness.set(bucket, (this.#lateness.get(bucket) ?? 0) + 1);
  }

  #compact(): void {
    if (this.#pendingHead > 1024 && this.#pendingHead * 2 > this.#pending.length) {
      this.#pending = this.#pending.slice(this.#pendingHead);
      this.#pendingHead = 0;
    }
  }
}
