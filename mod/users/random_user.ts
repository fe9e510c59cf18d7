/**
 * The random-requests user, upstream's `RandomRequestUser`
 * (docs/compatibility.md#random-user): each task picks a SageMaker endpoint and an
 * image from `--test-imagery-location` independently and uniformly at random,
 * with replacement, builds the submit-and-wait request
 * (docs/compatibility.md#request-submit-and-wait) and processes it the
 * submit-and-wait way (`model_runner_user.ts`).
 *
 * Endpoints and images are listed once per run before the users start (see
 * `user_inputs.ts`; upstream listed them per user), and a run with none stops
 * at start-up with a clear message (upstream: a busy loop).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { isRandomImageKey, randomUser } from "./random_user.ts";
 * assert.equal(randomUser.name, "random");
 * assert.equal(isRandomImageKey("scenes/A.NITF"), true);
 * assert.equal(isRandomImageKey("tile.png"), false);
 * ```
 * @module
 */
import { USER_KIND_NAMES } from "../config/user_kind_names.ts";
import { buildModelRunnerRequest, newJobId } from "../requests/image_request.ts";
import { modelRunnerUserKind } from "./model_runner_user.ts";

/**
 * The extensions the random user keeps (no PNG or JPEG: docs/compatibility.md#random-user).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { RANDOM_IMAGE_EXTENSIONS } from "./random_user.ts";
 * assert.equal(RANDOM_IMAGE_EXTENSIONS.join(" "), ".ntf .nitf .tiff .tif");
 * ```
 */
export const RANDOM_IMAGE_EXTENSIONS: readonly string[] = Object.freeze([
  ".ntf",
  ".nitf",
  ".tiff",
  ".tif",
]);

/**
 * Whether the random user takes this key: a case-insensitive match of
 * {@linkcode RANDOM_IMAGE_EXTENSIONS} at its end.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { isRandomImageKey } from "./random_user.ts";
 * assert.equal(isRandomImageKey("small.TIF"), true);
 * ```
 */
export function isRandomImageKey(key: string): boolean {
  const lower = key.toLowerCase();
  return RANDOM_IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/**
 * The `random` user kind.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { randomUser } from "./random_user.ts";
 * assert.equal(randomUser.aliases.includes("RandomRequestUser"), true);
 * ```
 */
export const randomUser = modelRunnerUserKind({
  ...USER_KIND_NAMES.random,
  description: "pick a random endpoint and image for each job and wait for it",
  source(ctx) {
    const { endpoints, randomImages } = ctx.settings;
    return {
      next() {
        if (endpoints.length === 0 || randomImages.length === 0) {
          throw new Error(
            endpoints.length === 0
              ? "No endpoints found: deploy an InService SageMaker endpoint or pass --include-all-endpoints"
              : "No images found: check --test-imagery-location",
          );
        }
        const endpoint = endpoints[Math.floor(ctx.random() * endpoints.length)]!;
        const image = randomImages[Math.floor(ctx.random() * randomImages.length)]!;
        return {
          request: buildModelRunnerRequest({
            jobId: newJobId(),
            imageUrl: image.url,
            resultsLocation: ctx.settings.testResultsLocation,
            endpoint,
          }),
          image: { size: image.size, pixels: image.pixels },
        };
      },
    };
  },
});
