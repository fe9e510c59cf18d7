/**
 * The typed messages between the main thread and the workers (a discriminated
 * union on `type` per direction). Control (start, stop, user count) goes over a
 * BroadcastChannel; samples, job registrations and status events go over the
 * workers' own lossless `postMessage`, batched.
 *
 * @example
 * ```ts
 * import type { ControlMessage } from "./worker_messages.ts";
 * const msg: ControlMessage = { type: "users", count: 10 };
 * ```
 * @module
 */
import type { StatsDelta } from "../stats/delta.ts";
import type { ImageInfo } from "../images/image_info.ts";
import type { UserMix } from "../config/user_mix.ts";
import type { UserWorkerSettings } from "../model/user_worker_settings.ts";
import type { JobRegistration } from "../model/job_registration.ts";
import type { StatusEvent } from "../model/status_event.ts";
import type { ArrivalDelta } from "./arrival_scheduler.ts";

export type { JobRegistration, StatusEvent, UserWorkerSettings };

/** Main → user worker. */
export type ToUserWorker =
  | {
    type: "init";
    workerIndex: number;
    workerCount: number;
    controlChannel: string;
    images: ImageInfo[];
    mix: UserMix;
    settings: UserWorkerSettings;
  }
  | { type: "job-done"; imageId: string; status: string; durationS: number | null };

/** Main → every worker, over the BroadcastChannel. */
export type ControlMessage =
  | { type: "users"; count: number }
  /** Open model: submit `rate` jobs/s in all from `since` (ms since epoch), spread over `users` users. */
  | { type: "rate"; rate: number; users: number; since: number }
  | { type: "stop" };

/** User worker → main. */
export type FromUserWorker =
  | { type: "ready"; workerIndex: number }
  | {
    type: "batch";
    workerIndex: number;
    delta: StatsDelta | undefined;
    jobs: JobRegistration[];
    running: number;
    /** Open-model counts since the last batch. */
    arrivals?: ArrivalDelta;
  }
  | { type: "stopped"; workerIndex: number }
  | { type: "fatal"; workerIndex: number; message: string };

/** Main → status monitor worker. */
export type ToMonitorWorker =
  | {
    type: "init";
    region: string;
    queueUrl: string;
    keepForeign: boolean;
    /**
     * The run's job-id prefix: with `keepForeign`, a message for an unknown job without it is
     * handed back at once; one with it may be ours and is held for a grace period first.
     */
    jobIdPrefix?: string;
    /** Timeout of one SQS call (`--aws-timeout`), in ms; long polls add their wait. */
    awsTimeoutMs: number;
    /**
     * The SQS endpoint and static credentials (`clientEnv("sqs", env)`), never the whole
     * environment; absent, the worker's client reads the process environment.
     */
    awsEnv?: Record<string, string>;
    waitTimeSeconds: number;
    visibilityTimeout: number;
  }
  | { type: "known"; jobIds: string[] }
  | { type: "stop" };

/** Status monitor → main. */
export type FromMonitorWorker =
  | {
    type: "events";
    events: StatusEvent[];
    received: number;
    malformed: number;
    foreign: number;
    errors: number;
  }
  | { type: "warning"; message: string }
  | { type: "fatal"; message: string }
  | { type: "stopped" };
