/**
 * What the user kinds need beyond the source images, gathered once per run
 * before the users start: SageMaker endpoints and images for the random user,
 * the rendered request file for the predefined user, the sizes and pixel
 * counts of the images the requests name, and the results location. The
 * `<account>` in the default locations is filled with the detected account
 * (upstream never filled it: docs/compatibility.md#fix-placeholders). Anything that would make a user kind
 * useless (no endpoints, no images, no or a bad request file) is a UsageError.
 *
 * @example
 * Not run as a test: it reads SageMaker and S3 in the AWS account the environment names.
 * ```ts ignore
 * const inputs = await gatherUserInputs(settings, deployment, log);
 * inputs.endpoints; // ["aircraft", "centerpoint", "flood"]
 * ```
 * @module
 */
import type { AwsSettings } from "../aws/aws_settings.ts";
import { AwsTimeoutError } from "../aws/call_deadline.ts";
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { RunSettings } from "../config/run_settings.ts";
import type { Deployment } from "../discovery/deployment.ts";
import type { RunLog } from "../log/run_log.ts";
import type { UserWorkerSettings } from "../model/user_worker_settings.ts";
import type { ImageInfo } from "../images/image_info.ts";
import {
  listImages,
  readPixelReport,
  readPixels,
  requireReadableImages,
} from "../images/image_catalog.ts";
import { awsErrorCode, awsHttpStatus } from "../aws/aws_errors.ts";
import { s3Client } from "../aws/s3_client.ts";
import { sageMakerClient } from "../aws/sagemaker_client.ts";
import { formatS3Url, parseS3Location } from "../aws/s3_location.ts";
import { UsageError } from "../usage_error.ts";
import { type EndpointListing, listEndpoints } from "./endpoints.ts";
import { isRandomImageKey, RANDOM_IMAGE_EXTENSIONS } from "./random_user.ts";
import { loadRequestFile, placeholderValues } from "./request_file.ts";
import type { ImageRequestBody } from "../requests/image_request.ts";

/**
 * The part of the worker settings that depends on the user kinds.
 *
 * @example
 * ```ts
 * import type { UserInputs } from "./user_inputs.ts";
 * const none: UserInputs = { endpoints: [], randomImages: [], predefinedRequests: [],
 *   imageSizes: {}, testResultsLocation: "s3://mr-bucket-sink-123456789012" };
 * ```
 */
export type UserInputs = Pick<
  UserWorkerSettings,
  "endpoints" | "randomImages" | "predefinedRequests" | "imageSizes" | "testResultsLocation"
>;

const LOGGER = "osml_load.setup";

/**
 * The `--test-imagery-location` and `--test-results-location` of a run, with
 * upstream's defaults (`s3://osml-test-images-<account>`,
 * `s3://mr-bucket-sink-<account>`) and every `<account>` replaced.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { userLocations } from "./user_inputs.ts";
 * assert.deepEqual(
 *   userLocations({ testImageryLocation: undefined, testResultsLocation: "s3://out-<account>/x" }, "123456789012"),
 *   { testImageryLocation: "s3://osml-test-images-123456789012", testResultsLocation: "s3://out-123456789012/x" },
 * );
 * ```
 */
export function userLocations(
  settings: Pick<RunSettings, "testImageryLocation" | "testResultsLocation">,
  account: string,
): { testImageryLocation: string; testResultsLocation: string } {
  const fill = (text: string) => text.replaceAll("<account>", account);
  return {
    testImageryLocation: fill(settings.testImageryLocation ?? "s3://osml-test-images-<account>"),
    testResultsLocation: fill(settings.testResultsLocation ?? "s3://mr-bucket-sink-<account>"),
  };
}

/**
 * Gather the inputs of the user kinds in `settings.userMix` (nothing for the
 * default kind); throws a UsageError when a kind could not run.
 *
 * @example
 * Not run as a test: it reads SageMaker and S3 in the AWS account the environment names.
 * ```ts ignore
 * const inputs = await gatherUserInputs(settings, deployment, log);
 * inputs.predefinedRequests.length; // 11 with examples/sample-requests.json
 * ```
 */
export async function gatherUserInputs(
  settings: RunSettings,
  deployment: Deployment,
  log: RunLog,
  aws: Omit<AwsSettings, "region"> = {},
): Promise<UserInputs> {
  const kinds = new Set(settings.userMix.map((m) => m.kind));
  const { testImageryLocation, testResultsLocation } = userLocations(settings, deployment.account);
  const inputs: UserInputs = {
    endpoints: [],
    randomImages: [],
    predefinedRequests: [],
    imageSizes: {},
    testResultsLocation,
  };
  if (!kinds.has("random") && !kinds.has("predefined")) return inputs;
  parseS3Location(testResultsLocation, "--test-results-location");

  const region = deployment.region;
  const s3 = s3Client({ region, ...aws });
  try {
    let listing: EndpointListing | undefined;
    if (kinds.has("random")) {
      listing = await endpointsOrExplain(region, settings.includeAllEndpoints, aws);
      if (listing.usable.length === 0) {
        const seen = listing.all.map((e) => `${e.name} (${e.status})`).join(", ");
        throw new UsageError(
          listing.all.length === 0
            ? `no SageMaker endpoints found in ${region}: the random user needs at least one; deploy a model endpoint, or check the region (--aws-region)`
            : `no InService SageMaker endpoints in ${region} (found ${seen}): wait until one is InService, or pass --include-all-endpoints to use them anyway`,
        );
      }
      inputs.endpoints = listing.usable;
      log.info(
        LOGGER,
        `Found ${listing.usable.length} endpoint(s) for random requests: ${
          listing.usable.join(", ")
        }`,
      );

      const location = parseS3Location(testImageryLocation, "--test-imagery-location");
      let listed: Omit<ImageInfo, "pixels">[];
      try {
        listed = await listImages(s3, location, isRandomImageKey);
      } catch (error) {
        throw new UsageError(
          `could not list images in ${formatS3Url(location)} (${awsErrorCode(error)}: ${
            error instanceof Error ? error.message : String(error)
          }): check --test-imagery-location and that you may list that bucket`,
        );
      }
      if (listed.length === 0) {
        throw new UsageError(
          `no images found in ${formatS3Url(location)} (looked for ${
            RANDOM_IMAGE_EXTENSIONS.join(" ")
          }): upload test images there or point --test-imagery-location at them`,
        );
      }
      const report = await readPixelReport(s3, listed, {
        warn: (message) => log.warn(LOGGER, message),
      });
      requireReadableImages(report, formatS3Url(location), "--test-imagery-location");
      inputs.randomImages = report.images;
      log.info(
        LOGGER,
        `Found ${listed.length} image(s) for random requests in ${formatS3Url(location)}`,
      );
    }

    if (kinds.has("predefined")) {
      if (!settings.requestFile) {
        throw new UsageError(
          "--request-file is required for the predefined user: pass a JSON array of image requests, e.g. --request-file examples/sample-requests.json",
        );
      }
      const requests = await loadRequestFile(
        settings.requestFile,
        placeholderValues(testImageryLocation, testResultsLocation),
      );
      log.info(LOGGER, `Found ${requests.length} sample requests in configuration file.`);
      inputs.predefinedRequests = requests;
      inputs.imageSizes = await imageSizes(s3, requests, (m) => log.warn(LOGGER, m));
      listing ??= await endpointsOrExplain(region, true, aws).catch(() => undefined);
      if (listing) warnAboutEndpoints(requests, listing, (m) => log.warn(LOGGER, m));
    }
    return inputs;
  } finally {
    s3.destroy();
  }
}

async function endpointsOrExplain(
  region: string,
  includeAll: boolean,
  aws: Omit<AwsSettings, "region">,
): Promise<EndpointListing> {
  const sagemaker = sageMakerClient({ region, ...aws });
  try {
    return await listEndpoints(sagemaker, { includeAll });
  } catch (error) {
    if (error instanceof AwsTimeoutError || aws.signal?.aborted) throw error;
    throw new UsageError(
      `could not list SageMaker endpoints in ${region} (${awsErrorCode(error)}: ${
        error instanceof Error ? error.message : String(error)
      }): the random user needs sagemaker:ListEndpoints; check credentials and region`,
    );
  } finally {
    sagemaker.destroy();
  }
}

/**
 * Size (HeadObject) and pixels (header) of every distinct `s3://` image the requests name;
 * pixels are null (unknown) when the header could not be read.
 */
async function imageSizes(
  s3: S3Client,
  requests: ImageRequestBody[],
  warn: (message: string) => void,
): Promise<Record<string, { size: number; pixels: number | null }>> {
  const urls = [...new Set(requests.map((r) => r.imageUrls[0] ?? ""))];
  const sizes: Record<string, { size: number; pixels: number | null }> = {};
  const listed: Omit<ImageInfo, "pixels">[] = [];
  await Promise.all(urls.map(async (url) => {
    const match = /^s3:\/\/([^/]+)\/(.+)$/i.exec(url);
    if (!match) {
      warn(
        `request file names ${url}, which is not an s3:// URL: its size counts as 0 and its pixels are unknown`,
      );
      sizes[url] = { size: 0, pixels: null };
      return;
    }
    const bucket = match[1]!;
    const key = match[2]!;
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const name = key.slice(key.lastIndexOf("/") + 1);
      listed.push({ url, bucket, key, name, size: head.ContentLength ?? 0 });
    } catch (error) {
      const status = awsHttpStatus(error);
      warn(
        status === 404
          ? `request file names ${url}, which does not exist: Model Runner will fail those jobs (check --test-imagery-location)`
          : `could not read ${url} (${
            awsErrorCode(error)
          }): its size counts as 0 and its pixels are unknown`,
      );
      sizes[url] = { size: 0, pixels: null };
    }
  }));
  for (const image of await readPixels(s3, listed, { warn })) {
    sizes[image.url] = { size: image.size, pixels: image.pixels };
  }
  return sizes;
}

function warnAboutEndpoints(
  requests: ImageRequestBody[],
  listing: EndpointListing,
  warn: (message: string) => void,
): void {
  const status = new Map(listing.all.map((e) => [e.name, e.status]));
  const named = new Set<string>();
  for (const request of requests) {
    const processor = request.imageProcessor as { name?: unknown; type?: unknown } | undefined;
    if (processor?.type !== undefined && processor.type !== "SM_ENDPOINT") continue;
    if (typeof processor?.name === "string") named.add(processor.name);
  }
  for (const name of named) {
    const s = status.get(name);
    if (s === "InService") continue;
    warn(
      s === undefined
        ? `request file uses SageMaker endpoint ${name}, which does not exist: Model Runner will fail those jobs`
        : `request file uses SageMaker endpoint ${name}, which is ${s}, not InService: those jobs may fail`,
    );
  }
}
