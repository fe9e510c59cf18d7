/**
 * A virtual user's lifecycle, as k6's VU handle has it: `stopped` →
 * `starting` (its `onStart` runs) → `running` (iterations) → `stopping` (its
 * signal aborted, the current iteration winding down) → `stopped`. A user that
 * is asked to run again while it is still stopping is revived: it keeps its
 * loop and gets a fresh signal, so a quick drop and rise in users never loses
 * one. {@linkcode UserSlots} keeps a worker's users and counts the running ones.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { UserSlots } from "./virtual_user.ts";
 * const slots = new UserSlots(() => ({
 *   iterate: (signal) => new Promise<void>((r) => signal.addEventListener("abort", () => r())),
 * }));
 * slots.setWanted([0, 1, 2, 3]);
 * await new Promise((r) => setTimeout(r, 0));
 * slots.setWanted([0, 1]); // users 2 and 3 are stopping...
 * slots.setWanted([0, 1, 2, 3]); // ...and revived
 * await new Promise((r) => setTimeout(r, 0));
 * assert.equal(slots.running, 4);
 * await slots.stopAll();
 * assert.equal(slots.running, 0);
 * ```
 * @module
 */

/** Where a virtual user is. */
export type UserState = "starting" | "running" | "stopping" | "stopped";

/** What a user does; `signal` aborts when the user must stop. */
export interface UserBody {
  /** Once, before the first iteration. A throw stops the user (reported by `onError`). */
  onStart?(signal: AbortSignal): Promise<void>;
  /** One iteration (a task and its wait); should end early when `signal` aborts. */
  iterate(signal: AbortSignal): Promise<void>;
}

/** One virtual user's handle. */
export class UserHandle {
  #state: UserState = "stopped";
  #abort = new AbortController();
  #done: Promise<void> = Promise.resolve();
  #body: UserBody;
  #onError: (error: unknown) => void;

  /** A handle for `body`; errors thrown by it go to `onError`. */
  constructor(body: UserBody, onError: (error: unknown) => void = () => {}) {
    this.#body = body;
    this.#onError = onError;
  }

  /** The state now. */
  get state(): UserState {
    return this.#state;
  }

  /** Aborts when the user must stop (a revived user gets a fresh one). */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Resolves when the user's loop has ended. */
  get done(): Promise<void> {
    return this.#done;
  }

  /** Run the user: start a stopped one, revive a stopping one. */
  start(): void {
    if (this.#state === "running" || this.#state === "starting") return;
    if (this.#state === "stopping") {
      this.#abort = new AbortController();
      this.#state = "running";
      return;
    }
    this.#abort = new AbortController();
    this.#state = "starting";
    this.#done = this.#loop();
  }

  /** Ask the user to stop; its current iteration winds down. */
  stop(): void {
    if (this.#state !== "running" && this.#state !== "starting") return;
    this.#state = "stopping";
    this.#abort.abort();
  }

  async #loop(): Promise<void> {
    try {
      await this.#body.onStart?.(this.#abort.signal);
    } catch (error) {
      this.#onError(error);
      this.#state = "stopped";
      return;
    }
    if (this.#state === "starting") this.#state = "running";
    while ((this.#state as UserState) === "running") {
      try {
        await this.#body.iterate(this.#abort.signal);
      } catch (error) {
        this.#onError(error);
      }
    }
    this.#state = "stopped";
  }
}

/** A worker's users by index: made on demand, started, stopped, revived, counted. */
export class UserSlots {
  #users = new Map<number, UserHandle>();
  #make: (index: number) => UserBody;
  #onError: (index: number, error: unknown) => void;
  #closed = false;

  /** `make` builds the body of user `index`; `onError` hears what its body throws. */
  constructor(
    make: (index: number) => UserBody,
    onError: (index: number, error: unknown) => void = () => {},
  ) {
    this.#make = make;
    this.#onError = onError;
  }

  /** The handle of user `index`, if it was ever started. */
  get(index: number): UserHandle | undefined {
    return this.#users.get(index);
  }

  /** Users whose state is `running`. */
  get running(): number {
    let count = 0;
    for (const user of this.#users.values()) if (user.state === "running") count++;
    return count;
  }

  /** Users that are not stopped (starting, running or stopping). */
  get active(): number {
    let count = 0;
    for (const user of this.#users.values()) if (user.state !== "stopped") count++;
    return count;
  }

  /** Run exactly the users in `indices` (start or revive them); stop every other one. */
  setWanted(indices: Iterable<number>): void {
    if (this.#closed) return;
    const wanted = new Set(indices);
    for (const [index, user] of this.#users) {
      if (!wanted.has(index)) {
        user.stop();
        // Forget stopped users so the map stays as small as the user count.
        if (user.state === "stopped") this.#users.delete(index);
      }
    }
    for (const index of wanted) {
      let user = this.#users.get(index);
      if (!user) {
        user = new UserHandle(this.#make(index), (error) => this.#onError(index, error));
        this.#users.set(index, user);
      }
      user.start();
    }
  }

  /** Stop every user and wait for their loops; later `setWanted` calls do nothing. */
  async stopAll(): Promise<void> {
    this.#closed = true;
    const users = [...this.#users.values()];
    for (const user of users) user.stop();
    await Promise.all(users.map((user) => user.done));
  }
}
