/**
 * The SageMaker endpoints the random user picks from
 * (docs/compatibility.md#random-user): every page of `ListEndpoints`, keeping only InService endpoints
 * unless `--include-all-endpoints` asks for upstream's behaviour (every
 * endpoint, whatever its status).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SageMakerClient } from "@aws-sdk/client-sagemaker";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { listEndpoints } from "./endpoints.ts";
 * const sim = await startSimulator({ port: 0, modelRunner: false }); // seeds 4 endpoints, 1 Updating
 * const sagemaker = new SageMakerClient(simClientConfig(sim));
 * const found = await listEndpoints(sagemaker, { includeAll: false });
 * // Listed newest first; the seeded endpoints may share a creation time, so compare sorted.
 * assert.deepEqual(found.usable.toSorted(), ["aircraft", "centerpoint", "flood"]);
 * sagemaker.destroy();
 * await sim.close();
 * ```
 * @module
 */
import { paginateListEndpoints, type SageMakerClient } from "@aws-sdk/client-sagemaker";

/**
 * One endpoint as listed.
 *
 * @example
 * ```ts
 * import type { EndpointSummary } from "./endpoints.ts";
 * const e: EndpointSummary = { name: "centerpoint", status: "InService" };
 * ```
 */
export interface EndpointSummary {
  name: string;
  /** `InService`, `Updating`, `Creating`, `Failed`, ... */
  status: string;
}

/**
 * What {@linkcode listEndpoints} found.
 *
 * @example
 * ```ts
 * import type { EndpointListing } from "./endpoints.ts";
 * const found: EndpointListing = { usable: [], all: [{ name: "m", status: "Updating" }] };
 * ```
 */
export interface EndpointListing {
  /** Names the random user may pick, in listing order. */
  usable: string[];
  /** Every endpoint listed, with its status. */
  all: EndpointSummary[];
}

/**
 * List every SageMaker endpoint (all pages) and pick the usable ones: the
 * InService ones, or all of them with `includeAll`. AWS errors propagate.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SageMakerClient } from "@aws-sdk/client-sagemaker";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { listEndpoints } from "./endpoints.ts";
 * const sim = await startSimulator({ port: 0, modelRunner: false }); // seeds 4 endpoints, 1 Updating
 * const sagemaker = new SageMakerClient(simClientConfig(sim));
 * const { usable, all } = await listEndpoints(sagemaker, { includeAll: true });
 * assert.deepEqual(usable.toSorted(), ["aircraft", "centerpoint", "flood", "maintenance"]);
 * assert.deepEqual(all.find((e) => e.name === "maintenance"), { name: "maintenance", status: "Updating" });
 * sagemaker.destroy();
 * await sim.close();
 * ```
 */
export async function listEndpoints(
  sagemaker: SageMakerClient,
  options: { includeAll: boolean },
): Promise<EndpointListing> {
  const all: EndpointSummary[] = [];
  for await (const page of paginateListEndpoints({ client: sagemaker }, {})) {
    for (const endpoint of page.Endpoints ?? []) {
      if (!endpoint.EndpointName) continue;
      all.push({ name: endpoint.EndpointName, status: endpoint.EndpointStatus ?? "Unknown" });
    }
  }
  const usable = all
    .filter((e) => options.includeAll || e.status === "InService")
    .map((e) => e.name);
  return { usable, all };
}
