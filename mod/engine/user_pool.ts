/**
 * The pool of user workers. Up to `workerCount` workers; user `u` runs in
 * worker `u % workerCount`, so past the cap users share workers as
 * independent async loops. The user count moves toward its target at the
 * spawn rate; changes and stop go over a BroadcastChannel, everything else
 * over each worker's `postMessage`.
 *
 * @example
 * Not run as a test: its workers submit jobs to the deployment the environment names.
 * ```ts ignore
 * const pool = await UserPool.start({ workerCount: 2, ... });
 * pool.setTarget(10, 2); // 10 users, 2 per second
 * await pool.stop();
 * ```
 * @module
 */
import type {
  ControlMessage,
  FromUserWorker,
  JobRegistration,
  ToUserWorker,
  UserWorkerSettings,
} from "./worker_messages.ts";
import type { StatsDelta } from "../stats/delta.ts";
import type { ImageInfo } from "../images/image_info.ts";
import type { UserMix } from "../config/user_mix.ts";
import type { ArrivalDelta } from "./arrival_scheduler.ts";

/** Options of {@linkcode UserPool.start}. */
export interface UserPoolOptions {
  workerCount: number;
  images: ImageInfo[];
  mix: UserMix;
  settings: UserWorkerSettings;
  /** Called for every stats delta a worker sends. */
  onDelta: (delta: StatsDelta) => void;
  /** Called for every job a worker registered. */
  onJobs: (jobs: JobRegistration[], workerIndex: number) => void;
  /** Called when a worker fails. */
  onFatal: (message: string) => void;
  /** Called for every open-model delta a worker sends. */
  onArrivals?: (delta: ArrivalDelta) => void;
}

const SPAWN_TICK_MS = 100;
/** Longest wait for the workers to load and say they are ready. */
const START_LIMIT_MS = 60_000;

/** User workers and the spawner. */
export class UserPool {
  #workers: Worker[];
  #channel: BroadcastChannel;
  #stopped: Promise<void>[] = [];
  #stoppedResolvers: Array<() => void> = [];
  #running: number[] = [];
  #current = 0;
  #fractional = 0;
  #target = 0;
  #spawnRate = 1;
  #timer: ReturnType<typeof setInterval> | undefined;
  #rate = -1;
  #rateUsers = -1;
  #stopping = false;

  private constructor(workers: Worker[], channel: BroadcastChannel) {
    this.#workers = workers;
    this.#channel = channel;
  }

  /** Start the workers and wait until each is ready. */
  static async start(options: UserPoolOptions): Promise<UserPool> {
    const channelName = `osml-load-control-${crypto.randomUUID()}`;
    const channel = new BroadcastChannel(channelName);
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    const pool = new UserPool(workers, channel);
    for (let index = 0; index < options.workerCount; index++) {
      const worker = new Worker(new URL("../../workers/user_worker.ts", import.meta.url), {
        type: "module",
        name: `users-${index}`,
      });
      workers.push(worker);
      pool.#running.push(0);
      let resolveReady!: () => void;
      ready.push(new Promise((resolve) => (resolveReady = resolve)));
      let resolveStopped!: () => void;
      pool.#stopped.push(new Promise((resolve) => (resolveStopped = resolve)));
      pool.#stoppedResolvers.push(resolveStopped);
      worker.onmessage = (event: MessageEvent<FromUserWorker>) => {
        const message = event.data;
        switch (message.type) {
          case "ready":
            resolveReady();
            break;
          case "batch":
            if (message.delta) options.onDelta(message.delta);
            if (message.jobs.length) options.onJobs(message.jobs, message.workerIndex);
            if (message.arrivals) options.onArrivals?.(message.arrivals);
            pool.#running[message.workerIndex] = message.running;
            break;
          case "stopped":
            resolveStopped();
            break;
          case "fatal":
            options.onFatal(`user worker ${message.workerIndex}: ${message.message}`);
            resolveReady();
            resolveStopped();
            break;
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        options.onFatal(`user worker ${index}: ${event.message}`);
        resolveReady();
        resolveStopped();
      };
      const init: ToUserWorker = {
        type: "init",
        workerIndex: index,
        workerCount: options.workerCount,
        controlChannel: channelName,
        images: options.images,
        mix: options.mix,
        settings: options.settings,
      };
      worker.postMessage(init);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const inTime = await Promise.race([
      Promise.all(ready).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), START_LIMIT_MS))),
    ]);
    clearTimeout(timer);
    if (!inTime) {
      for (const worker of workers) worker.terminate();
      channel.close();
      throw new Error(`the user workers did not start within ${START_LIMIT_MS / 1000} s`);
    }
    return pool;
  }

  /** The user count the pool has asked for so far. */
  get userCount(): number {
    return this.#current;
  }

  /** Users actually running, as last reported by the workers. */
  get runningUsers(): number {
    return this.#running.reduce((a, b) => a + b, 0);
  }

  /** The target user count. */
  get target(): number {
    return this.#target;
  }

  /** Move toward `users` at `spawnRate` users per second (stopping users is immediate). */
  setTarget(users: number, spawnRate: number): void {
    this.#target = users;
    this.#spawnRate = spawnRate;
    // The ramp's clock ticks only while users are to be started (an idle run stays idle).
    if (users > this.#current && this.#timer === undefined && !this.#stopping) {
      this.#timer = setInterval(() => this.#spawnTick(), SPAWN_TICK_MS);
    }
    if (users < this.#current) {
      this.#current = users;
      this.#fractional = 0;
      this.#broadcast({ type: "users", count: users });
    }
  }

  /**
   * Open model: `users` users carry `rate` jobs/s in all. Users are started at
   * once (they are a pool of senders, not a ramp).
   */
  setRate(rate: number, users: number): void {
    if (users !== this.#target) this.setTarget(users, Math.max(users, 1) * 10);
    if (rate !== this.#rate || users !== this.#rateUsers) {
      this.#rate = rate;
      this.#rateUsers = users;
      this.#broadcast({ type: "rate", rate, users, since: Date.now() });
    }
  }

  /** Tell the worker that submitted `imageId` that the job is done. */
  notifyJobDone(
    workerIndex: number,
    imageId: string,
    status: string,
    durationS: number | null,
  ): void {
    const message: ToUserWorker = { type: "job-done", imageId, status, durationS };
    this.#workers[workerIndex]?.postMessage(message);
  }

  /**
   * Stop every user: in-flight sends finish, workers flush their last batch.
   * Waits up to `timeoutMs`, then terminates the workers either way. Resolves
   * `true` when every worker stopped in time.
   */
  async stop(timeoutMs = 10_000): Promise<boolean> {
    if (this.#stopping) return true;
    this.#stopping = true;
    clearInterval(this.#timer);
    this.#broadcast({ type: "stop" });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const inTime = await Promise.race([
      Promise.all(this.#stopped).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    for (const worker of this.#workers) worker.terminate();
    this.#channel.close();
    this.#current = 0;
    for (let i = 0; i < this.#running.length; i++) this.#running[i] = 0;
    return inTime;
  }

  #spawnTick(): void {
    if (this.#current >= this.#target) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    this.#fractional += (this.#spawnRate * SPAWN_TICK_MS) / 1000;
    const add = Math.floor(this.#fractional);
    if (add < 1) return;
    this.#fractional -= add;
    this.#current = Math.min(this.#target, this.#current + add);
    this.#broadcast({ type: "users", count: this.#current });
  }

  #broadcast(message: ControlMessage): void {
    this.#channel.postMessage(message);
  }
}
