/**
 * Batches that go out when something changed, not on a clock: the first change after a batch
 * schedules the next one `delayMs` later, further changes ride along, and with no change no
 * timer runs at all. A user worker whose users wait thus sleeps instead of waking twice a second
 * to find nothing to send (the idle cost of issue 16). A change that should show sooner (the
 * running user count, while users ramp) asks for a shorter delay, which moves a later batch up.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ChangeBatcher } from "./change_batcher.ts";
 * const due: (() => void)[] = [];
 * let sent = 0;
 * const batcher = new ChangeBatcher(() => sent++, 500, {
 *   setTimeout: (fn) => due.push(fn),
 *   clearTimeout: () => due.splice(0),
 * });
 * assert.equal(batcher.pending, false, "nothing changed: no timer");
 * batcher.changed();
 * batcher.changed();
 * assert.equal(due.length, 1, "one timer for any number of changes");
 * due.shift()!();
 * assert.equal(sent, 1);
 * assert.equal(batcher.pending, false, "after the batch, no timer until the next change");
 * batcher.changed();
 * batcher.changed(100); // sooner: the pending batch is moved up
 * assert.equal(due.length, 1);
 * batcher.close(); // sends what is pending now, and schedules nothing more
 * assert.equal(sent, 2);
 * batcher.changed();
 * assert.equal(due.length, 0);
 * ```
 * @module
 */

/** The timer functions a {@linkcode ChangeBatcher} uses (the global ones by default). */
export interface BatchTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Monotonic ms (default `performance.now`). */
  now?(): number;
}

const GLOBAL_TIMERS: BatchTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as number),
};

/** Calls `send` at most every `delayMs`, and only after {@linkcode ChangeBatcher.changed}. */
export class ChangeBatcher {
  #send: () => void;
  #delayMs: number;
  #timers: BatchTimers;
  #handle: unknown;
  #dueAt = 0;
  #pending = false;
  #closed = false;

  /** `send` builds and posts a batch; it runs `delayMs` after the first change since the last. */
  constructor(send: () => void, delayMs: number, timers: BatchTimers = GLOBAL_TIMERS) {
    this.#send = send;
    this.#delayMs = delayMs;
    this.#timers = timers;
  }

  /** True while a batch is scheduled. */
  get pending(): boolean {
    return this.#pending;
  }

  /**
   * Something changed: a batch goes out within `withinMs` (default `delayMs`); one timer for any
   * number of calls, moved up when a call wants it sooner.
   */
  changed(withinMs = this.#delayMs): void {
    if (this.#closed) return;
    // A scheduled batch is due within `delayMs` already: the common case (a sample on a user's
    // send path) costs no clock read.
    if (this.#pending && withinMs >= this.#delayMs) return;
    const now = this.#timers.now?.() ?? performance.now();
    if (this.#pending && this.#dueAt <= now + withinMs) return;
    this.#cancel();
    this.#pending = true;
    this.#dueAt = now + withinMs;
    this.#handle = this.#timers.setTimeout(() => {
      this.#pending = false;
      this.#send();
    }, withinMs);
  }

  /** Send now (a change that must not wait), cancelling the scheduled batch. */
  now(): void {
    this.#cancel();
    this.#send();
  }

  /** The last batch: send now; later changes schedule nothing. */
  close(): void {
    this.#closed = true;
    this.now();
  }

  #cancel(): void {
    if (!this.#pending) return;
    this.#pending = false;
    this.#timers.clearTimeout(this.#handle);
  }
}
