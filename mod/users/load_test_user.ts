import type { UserKind } from "./user_kind.ts";
import { USER_KIND_NAMES } from "../config/user_kind_names.ts";
import { buildLoadTestRequest, newJobId } from "../requests/image_request.ts";
import { submitJob } from "./submit_job.ts";

/**
 * The default user, upstream's `ModelRunnerLoadTestUser` (docs/compatibility.md#default-user):
 * fire-and-forget. Each task takes the next image round robin (each user
 * starts at a different image, where upstream started every user at the
 * first), sends the default request (docs/compatibility.md#request-default-user) and records a `Submit Image` sample named
 * `<file>:<model>` whose length is the image size; then waits 1–3 s.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { loadTestUser } from "./load_test_user.ts";
 * assert.equal(loadTestUser.name, "load-test");
 * ```
 */
export const loadTestUser: UserKind = {
  ...USER_KIND_NAMES.loadTest,
  description: "submit jobs without waiting (upstream's default ModelRunnerLoadTestUser)",
  create(ctx) {
    let next = ctx.images.length ? ctx.userIndex % ctx.images.length : 0;
    return {
      async task() {
        const image = ctx.images[next];
        if (!image) return;
        next = (next + 1) % ctx.images.length;
        const request = buildLoadTestRequest({
          jobId: newJobId(),
          imageUrl: image.url,
          resultBucket: ctx.settings.resultBucket,
          modelName: ctx.settings.modelName,
          kinesisStream: ctx.settings.kinesisStream,
        });
        await submitJob(ctx, request, {
          sampleType: "Submit Image",
          model: ctx.settings.modelName,
          size: image.size,
          pixels: image.pixels,
          awaited: false,
        });
      },
      waitMs() {
        const { waitMinMs, waitMaxMs } = ctx.settings;
        return waitMinMs + ctx.random() * (waitMaxMs - waitMinMs);
      },
    };
  },
};
