/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * A user worker: runs the virtual users assigned to it (user `u` belongs to
 * worker `u % workerCount`) as independent async loops sharing one SQS client.
 * Control arrives over the BroadcastChannel; samples and job registrations
 * leave in batches over `postMessage`: a change (a sample, a job, the open model's arrivals)
 * schedules the next batch within 500 ms, a change of the running user count within 100 ms, so a
 * worker whose users wait sleeps instead of waking twice a second to find nothing to send.
 * @module
 */
import { DeltaRecorder } from "../mod/stats/delta.ts";
import { sqsClient } from "../mod/aws/sqs_client.ts";
import type {
  ControlMessage,
  FromUserWorker,
  JobRegistration,
  ToUserWorker,
} from "../mod/engine/worker_messages.ts";
import type { JobOutcome, UserContext } from "../mod/users/user_kind.ts";
import { userKind } from "../mod/users/registry.ts";
import { kindOfUser } from "../mod/config/user_mix.ts";
import { ArrivalScheduler } from "../mod/engine/arrival_scheduler.ts";
import { abortableSleep } from "../mod/engine/abortable_sleep.ts";
import { type UserBody, UserSlots } from "../mod/engine/virtual_user.ts";
import { ChangeBatcher } from "../mod/engine/change_batcher.ts";
import { setJobIdPrefix } from "../mod/requests/image_request.ts";

type Init = Extract<ToUserWorker, { type: "init" }>;

const FLUSH_MS = 500;
/** A change of the running user count shows within this (users ramping up or down). */
const RUNNING_FLUSH_MS = 100;
const recorder = new DeltaRecorder();
let jobs: JobRegistration[] = [];
/** Aborted signal for a context asked about a user that no longer exists. */
const STOPPED = AbortSignal.abort();
let slots = new UserSlots(() => ({ iterate: () => Promise.resolve() }));
const waiters = new Map<string, (outcome: JobOutcome) => void>();
const early = new Map<string, JobOutcome>();
const EARLY_LIMIT = 1000;
let init: Init | undefined;
let stopping = false;
let lastRunning = -1;
/** The open model's clock, once a `rate` control message arrived. */
let arrivals: ArrivalScheduler | undefined;
let arrivalTimer: ReturnType<typeof setTimeout> | undefined;

function post(message: FromUserWorker): void {
  self.postMessage(message);
}

function flush(): void {
  const delta = recorder.take();
  const arrivalDelta = arrivals?.takeDelta();
  const running = slots.running;
  if (!delta && !arrivalDelta && jobs.length === 0 && running === lastRunning) return;
  lastRunning = running;
  post({
    type: "batch",
    workerIndex: init!.workerIndex,
    delta,
    jobs,
    running,
    ...(arrivalDelta ? { arrivals: arrivalDelta } : {}),
  });
  jobs = [];
}

/** Batches go out within {@linkcode FLUSH_MS} of a change, and not at all while nothing changes. */
const batches = new ChangeBatcher(flush, FLUSH_MS);
const changed = () => batches.changed();
const recordException = (report: Parameters<UserContext["exception"]>[0]) => {
  recorder.recordException(report);
  changed();
};

/** Open model: this worker's share of `rate` is proportional to its share of `users`. */
function setRate(rate: number, totalUsers: number, since: number): void {
  const setup = init!;
  const mine = totalUsers > setup.workerIndex
    ? Math.floor((totalUsers - 1 - setup.workerIndex) / setup.workerCount) + 1
    : 0;
  const share = totalUsers > 0 ? (rate * mine) / totalUsers : 0;
  if (!arrivals) {
    arrivals = new ArrivalScheduler({
      maxLatenessMs: setup.settings.maxLatenessMs,
      // Centred phases: the workers interleave, and the first submission is not a whole interval late.
      phase: (setup.workerIndex + 0.5) / setup.workerCount,
    });
    const loop = () => {
      if (stopping || !arrivals) return;
      arrivals.tick();
      changed();
      arrivalTimer = setTimeout(loop, Math.min(20, arrivals.msUntilNext()));
    };
    arrivals.setRate(share, since);
    loop();
  } else {
    arrivals.setRate(share, since);
  }
}

/** The body of user `index`: its kind's onStart, then tasks (on the open model's clock, or with waits). */
function userBody(index: number, setup: Init, sqs: ReturnType<typeof sqsClient>): UserBody {
  const handleSignal = () => slots.get(index)?.signal ?? STOPPED;
  const ctx: UserContext = {
    userIndex: index,
    images: setup.images,
    settings: setup.settings,
    sqs,
    get signal() {
      return handleSignal();
    },
    scheduledAt: undefined,
    emit: (sample) => {
      recorder.record(sample);
      changed();
    },
    exception: recordException,
    registerJob(job) {
      jobs.push(job);
      // A waiting user's job goes out at once, so a fast status (or a PARTIAL
      // retry's re-registration) cannot overtake it.
      if (job.awaited) batches.now();
      else changed();
    },
    waitForJob(imageId, timeoutMs) {
      const known = early.get(imageId);
      if (known) {
        early.delete(imageId);
        return Promise.resolve(known);
      }
      const signal = handleSignal();
      return new Promise<JobOutcome>((resolve) => {
        const finish = (outcome: JobOutcome) => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
          waiters.delete(imageId);
          resolve(outcome);
        };
        const onAbort = () => finish({ status: "STOPPED", durationS: null });
        const timer = setTimeout(() => finish({ status: "TIMEOUT", durationS: null }), timeoutMs);
        signal.addEventListener("abort", onAbort, { once: true });
        waiters.set(imageId, finish);
      });
    },
    sleep: (ms) => abortableSleep(ms, handleSignal()),
    random: Math.random,
  };
  const user = userKind(kindOfUser(setup.mix, index)).create(ctx);
  return {
    onStart: async () => {
      await user.onStart?.();
      // The user counts as running just after this returns, before any timer fires.
      batches.changed(RUNNING_FLUSH_MS);
    },
    async iterate(signal) {
      if (arrivals) {
        // Open model: run a task when the clock schedules one; no wait time.
        const at = await arrivals.next(signal);
        if (at === undefined) {
          if (!signal.aborted) await abortableSleep(20, signal);
          return;
        }
        ctx.scheduledAt = at;
      }
      try {
        await user.task();
      } catch (error) {
        reportException(ctx, error);
      }
      ctx.scheduledAt = undefined;
      if (!arrivals && !signal.aborted) await ctx.sleep(user.waitMs());
    },
  };
}

function reportException(ctx: Pick<UserContext, "exception">, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  ctx.exception({
    message: err.message,
    traceback: err.stack ?? `${err.name}: ${err.message}`,
    node: "local",
    at: Date.now(),
  });
}

/** Run this worker's users among the first `count` (user `u` is worker `u % workerCount`'s). */
function setUserCount(count: number): void {
  const setup = init!;
  if (stopping) return;
  const mine: number[] = [];
  for (let u = setup.workerIndex; u < count; u += setup.workerCount) mine.push(u);
  slots.setWanted(mine);
  batches.changed(RUNNING_FLUSH_MS);
}

async function stopAll(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearTimeout(arrivalTimer);
  await slots.stopAll();
  arrivals?.dropPending();
  batches.close();
  post({ type: "stopped", workerIndex: init!.workerIndex });
}

self.onmessage = (event: MessageEvent<ToUserWorker>) => {
  const message = event.data;
  if (message.type === "init") {
    init = message;
    setJobIdPrefix(message.settings.jobIdPrefix ?? "");
    const sqs = sqsClient({
      region: message.settings.region,
      timeoutMs: message.settings.awsTimeoutMs,
      ...(message.settings.awsEnv ? { env: message.settings.awsEnv } : {}),
    });
    slots = new UserSlots(
      (index) => userBody(index, message, sqs),
      (_index, error) => reportException({ exception: recordException }, error),
    );
    const channel = new BroadcastChannel(message.controlChannel);
    channel.onmessage = (e: MessageEvent<ControlMessage>) => {
      const control = e.data;
      if (control.type === "users") setUserCount(control.count);
      else if (control.type === "rate") setRate(control.rate, control.users, control.since);
      else if (control.type === "stop") {
        stopAll().finally(() => {
          channel.close();
          sqs.destroy();
        });
      }
    };
    post({ type: "ready", workerIndex: message.workerIndex });
  } else if (message.type === "job-done") {
    const outcome = { status: message.status, durationS: message.durationS };
    const waiter = waiters.get(message.imageId);
    if (waiter) waiter(outcome);
    else {
      // Done before its user asked (or after the user stopped waiting): keep a bounded few.
      early.set(message.imageId, outcome);
      if (early.size > EARLY_LIMIT) early.delete(early.keys().next().value!);
    }
  }
};

self.onerror = (event) => {
  post({
    type: "fatal",
    workerIndex: init?.workerIndex ?? -1,
    message: event.message,
  });
};
