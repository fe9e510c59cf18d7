/**
 * The typed messages between the main thread and the workers (a discriminated
 * union on `type` per direction). Control (start, stop, user count) goes over a
 * BroadcastChannel; samples, job registrations and status events go over the
 * workers' own lossless `postMessage`, batched.
 *
 * @example
 * ```ts
 * import type { ControlMessage } from "./protocol.ts";
 * const msg: ControlMessage = { type: "users", count: 10 };
 * ```
 * @module
 */
import type { StatsDelta } from "../stats/delta.ts";
import type { ImageInfo } from "./image_info.ts";
import type { ImageRequest } from "../users/image_request.ts";
import type { UserMix } from "../users/user_mix.ts";
import type { ArrivalDelta } from "./arrival_scheduler.ts";

/** Everything a user worker needs to run its users. */
export interface UserWorkerSettings {
  region: string;
  /** URL of the image request queue (resolved once by the main thread). */
  queueUrl: string;
  /** `--model-name`. */
  modelName: string;
  /** Result bucket name for the default user. */
  resultBucket: string;
  /** `<prefix>-<account>` Kinesis output of the default user. */
  kinesisStream: string;
  /** Wait between tasks of fire-and-forget users, uniform in [min, max] ms. */
  waitMinMs: number;
  waitMaxMs: number;
  /** How long a submit-and-wait user waits for a terminal status. */
  jobTimeoutMs: number;
  /** Open model: a submission that waits longer than this for a free user is dropped. */
  maxLatenessMs: number;
  /** `--test-results-location` (random and predefined users). */
  testResultsLocation: string;
  /** Endpoints for the random user. */
  endpoints: string[];
  /** Images for the random user (`--test-imagery-location`). */
  randomImages: ImageInfo[];
  /** Rendered requests of the predefined user. */
  predefinedRequests: ImageRequest[];
  /**
   * Sizes and pixel counts by image URL, for requests that name images directly; `pixels` is
   * null when the image's header could not be read (unknown, not 0).
   */
  imageSizes: Record<string, { size: number; pixels: number | null }>;
  /** Timeout of one SQS call (`--aws-timeout`), in ms. */
  awsTimeoutMs: number;
  /**
   * The run's job-id prefix (lowercase hex): every job id the worker's users make starts with
   * it, so a status subscription can select this run's jobs. Absent: ids are fully random.
   */
  jobIdPrefix?: string;
}

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

/** A job a user submitted, for the tracker. */
export interface JobRegistration {
  imageId: string;
  jobId: string;
  imageUrl: string;
  messageId: string;
  size: number;
  /** Width × height from the image header; null when the header could not be read. */
  pixels: number | null;
  /**
   * When the send BEGAN (ms since epoch, taken just before SendMessage): the job's start. Job
   * latency, `start_time` and the fallback `processing_duration` count from it. Not when the
   * send returned: against a fast Model Runner the job's status can arrive before that.
   */
  submittedAt: number;
  /**
   * Which send of this image id this is: 1 (the default) for the first, 2 and 3 for a waiting
   * user's PARTIAL retries, which resend the same body. A higher attempt starts the job afresh
   * in the tracker; an equal or lower one is a duplicate registration and changes nothing.
   */
  attempt?: number;
  /** Locust entry name `<file>:<model>`. */
  name: string;
  /** True when the user waits for this job (the main thread then reports it done). */
  awaited: boolean;
  /** Open model: when the submission was scheduled (ms since epoch); latency counts from it. */
  scheduledAt?: number;
}

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
    waitTimeSeconds: number;
    visibilityTimeout: number;
  }
  | { type: "known"; jobIds: string[] }
  | { type: "stop" };

/** One parsed status message. */
export interface StatusEvent {
  imageId: string;
  jobId: string;
  status: string;
  /** Seconds, or null when absent, ≤ 0 or not numeric. */
  durationS: number | null;
  /** When the monitor received it (ms since epoch). */
  receivedAt: number;
  /**
   * When SNS published it (the envelope's `Timestamp`, AWS's clock), when known. A job's
   * completion time is this, bounded by its send start and `receivedAt`, so the monitor's
   * polling rhythm does not add to job latency.
   */
  publishedAt?: number;
}

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
