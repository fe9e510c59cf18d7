/**
 * What a user worker is told at start: the run's resolved settings that every user reads.
 *
 * @example
 * ```ts
 * import type { UserWorkerSettings } from "./user_worker_settings.ts";
 * const timeout = (s: UserWorkerSettings) => s.jobTimeoutMs;
 * if (typeof timeout !== "function") throw new Error("unreachable");
 * ```
 * @module
 */
import type { ImageInfo } from "../images/image_info.ts";
import type { ImageRequestBody } from "../requests/image_request.ts";

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
  predefinedRequests: ImageRequestBody[];
  /**
   * Sizes and pixel counts by image URL, for requests that name images directly; `pixels` is
   * null when the image's header could not be read (unknown, not 0).
   */
  imageSizes: Record<string, { size: number; pixels: number | null }>;
  /** Timeout of one SQS call (`--aws-timeout`), in ms. */
  awsTimeoutMs: number;
  /**
   * What the worker's SQS client reads instead of the process environment: the SQS endpoint and
   * static credentials only (`clientEnv("sqs", env)` of `mod/aws/client_config.ts`), never the
   * whole environment; absent, the process environment.
   */
  awsEnv?: Record<string, string>;
  /**
   * The run's job-id prefix (lowercase hex): every job id the worker's users make starts with
   * it, so a status subscription can select this run's jobs. Absent: ids are fully random.
   */
  jobIdPrefix?: string;
}
