/**
 * The predefined-requests user, upstream's `PredefinedRequestsUser`
 * (docs/compatibility.md#predefined-user, docs/compatibility.md#request-predefined): cycles endlessly through the requests of
 * `--request-file` (loaded, rendered and validated once per run before the
 * users start, see `request_file.ts`), gives each submission a fresh `jobId`
 * and a `jobName` of `<template jobName>-<jobId>` or `test-<jobId>`, and
 * processes it the submit-and-wait way (`model_runner_user.ts`).
 *
 * Deviation: user `i` starts at entry `i mod N` (upstream started every user
 * at the first entry), like the default user's images, so that many users do
 * not all send the same request at once.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { predefinedUser, requestFromTemplate } from "./predefined_user.ts";
 * assert.equal(predefinedUser.name, "predefined");
 * const request = requestFromTemplate({ jobId: "", jobName: "nightly", imageUrls: ["s3://b/a.tif"] }, "0123");
 * assert.equal(request.jobName, "nightly-0123");
 * ```
 * @module
 */
import { USER_KIND_NAMES } from "../config/user_kind_names.ts";
import { type ImageRequestBody, newJobId } from "../requests/image_request.ts";
import { modelRunnerUserKind } from "./model_runner_user.ts";

/**
 * A deep copy of `template` with `jobId` replaced and `jobName` set to
 * `<jobName>-<jobId>` when the template has a non-empty one, else `test-<jobId>`
 * (docs/compatibility.md#request-predefined).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { requestFromTemplate } from "./predefined_user.ts";
 * assert.equal(requestFromTemplate({ jobId: "", imageUrls: ["s3://b/a.tif"] }, "ab").jobName, "test-ab");
 * ```
 */
export function requestFromTemplate(template: ImageRequestBody, jobId: string): ImageRequestBody {
  const copy = structuredClone(template);
  const base = typeof template.jobName === "string" && template.jobName !== ""
    ? template.jobName
    : undefined;
  copy.jobId = jobId;
  copy.jobName = base === undefined ? `test-${jobId}` : `${base}-${jobId}`;
  return copy;
}

/**
 * The `predefined` user kind.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { predefinedUser } from "./predefined_user.ts";
 * assert.equal(predefinedUser.aliases.includes("PredefinedRequestsUser"), true);
 * ```
 */
export const predefinedUser = modelRunnerUserKind({
  ...USER_KIND_NAMES.predefined,
  description: "send the requests of --request-file in turn and wait for each job",
  source(ctx) {
    const templates = ctx.settings.predefinedRequests;
    let next = templates.length ? ctx.userIndex % templates.length : 0;
    return {
      next() {
        const template = templates[next];
        if (!template) {
          throw new Error(
            "the predefined user has no requests: pass --request-file with a JSON array of image requests",
          );
        }
        next = (next + 1) % templates.length;
        return { request: requestFromTemplate(template, newJobId()) };
      },
    };
  },
});
