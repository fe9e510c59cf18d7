/**
 * The user-kind plug-in interface. Each kind (fire-and-forget, predefined,
 * random, ...) is one file exporting a {@linkcode UserKind}; the worker runs
 * `onStart` once, then `task` and `waitMs` in a loop until the user is stopped.
 * Users only emit samples and job registrations; they never aggregate.
 *
 * @example
 * ```ts
 * import type { UserKind } from "./user_kind.ts";
 * const idle: UserKind = {
 *   name: "idle",
 *   aliases: [],
 *   description: "does nothing",
 *   create: () => ({ task: async () => {}, waitMs: () => 1000 }),
 * };
 * ```
 * @module
 */
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Sample } from "../model/sample.ts";
import type { ExceptionReport } from "../model/sample.ts";
import type { ImageInfo } from "../images/image_info.ts";
import type { JobRegistration } from "../model/job_registration.ts";
import type { UserWorkerSettings } from "../model/user_worker_settings.ts";

/** The terminal outcome of a job a user waited for. */
export interface JobOutcome {
  /** SUCCESS, FAILED, PARTIAL, or `TIMEOUT` when the wait ran out. */
  status: string;
  /** Seconds from the status message, or null. */
  durationS: number | null;
}

/** What a user can use. One context per user. */
export interface UserContext {
  /** 0-based index of this user in the run. */
  readonly userIndex: number;
  /** The run's images (`--source-bucket`), with sizes and pixels. */
  readonly images: readonly ImageInfo[];
  /** Run settings shared by all users. */
  readonly settings: UserWorkerSettings;
  /** The worker's SQS client, shared by its users. */
  readonly sqs: SQSClient;
  /** Aborted when this user must stop. */
  readonly signal: AbortSignal;
  /** Open model: when the current task was scheduled (ms since epoch); undefined otherwise. */
  scheduledAt: number | undefined;
  /** Emit one request sample. */
  emit(sample: Sample): void;
  /** Report an error raised outside a request (goes to `_exceptions.csv`). */
  exception(report: ExceptionReport): void;
  /** Register a submitted job with the tracker. */
  registerJob(job: JobRegistration): void;
  /** Resolve when the job `imageId` reaches a terminal status, or after `timeoutMs`. */
  waitForJob(imageId: string, timeoutMs: number): Promise<JobOutcome>;
  /** Sleep `ms`, ending early (without error) when the user is stopped. */
  sleep(ms: number): Promise<void>;
  /** A uniform random number in [0, 1). */
  random(): number;
}

/** One running user. */
export interface VirtualUser {
  /** Called once before the first task. */
  onStart?(): Promise<void>;
  /** One task: build and submit (and maybe wait for) one job. */
  task(): Promise<void>;
  /** Milliseconds to wait after a task (Locust's wait_time). */
  waitMs(): number;
}

/** A user kind, selected with `--user-class`. */
export interface UserKind {
  /** Short name, e.g. `load-test`. */
  readonly name: string;
  /** Other accepted names, e.g. the original dotted class name. */
  readonly aliases: readonly string[];
  /** One line for `--help` and the plan printout. */
  readonly description: string;
  /** Make one user. */
  create(ctx: UserContext): VirtualUser;
}
