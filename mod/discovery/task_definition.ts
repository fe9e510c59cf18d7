import {
  DescribeTaskDefinitionCommand,
  type ECSClient,
  paginateListTaskDefinitions,
} from "@aws-sdk/client-ecs";

/** The Model Runner task definition found in ECS. */
export interface FoundTaskDefinition {
  /** The matched task-definition ARN. */
  arn: string;
  /** `family:revision`. */
  familyRevision: string;
  /** Name of the container whose environment was read. */
  containerName: string;
  /** That container's environment, entries with an empty name or value dropped. */
  environment: Record<string, string>;
  /** How many task definitions matched the pattern. */
  matches: number;
}

/**
 * Find the newest ECS task definition whose ARN contains `pattern`: every page
 * of `ListTaskDefinitions` (sort DESC, ACTIVE) is read and the first match is
 * taken, as upstream does. The container read is the one that carries
 * `IMAGE_QUEUE` (upstream blindly read the first). Returns undefined when no
 * ARN matches.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ECSClient } from "@aws-sdk/client-ecs";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { findTaskDefinition } from "./task_definition.ts";
 * const sim = await startSimulator({ port: 0, modelRunner: false }); // seeds a deployment
 * const ecs = new ECSClient(simClientConfig(sim));
 * const found = await findTaskDefinition(ecs, "ModelRunnerDataplane");
 * assert.equal(found?.containerName, "ModelRunnerContainer");
 * assert.equal(
 *   found?.environment.IMAGE_QUEUE,
 *   "https://sqs.us-west-2.amazonaws.com/123456789012/ImageRequestQueue",
 * );
 * assert.equal(await findTaskDefinition(ecs, "NoSuchService"), undefined);
 * ecs.destroy();
 * await sim.close();
 * ```
 */
export async function findTaskDefinition(
  ecs: ECSClient,
  pattern: string,
): Promise<FoundTaskDefinition | undefined> {
  const matches: string[] = [];
  for await (const page of paginateListTaskDefinitions({ client: ecs }, { sort: "DESC" })) {
    for (const arn of page.taskDefinitionArns ?? []) if (arn.includes(pattern)) matches.push(arn);
  }
  const arn = matches[0];
  if (!arn) return undefined;
  const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
  const containers = described.taskDefinition?.containerDefinitions ?? [];
  if (containers.length === 0) {
    throw new Error(
      `task definition ${arn} has no container definitions: check TASK_DEFINITION_PATTERN`,
    );
  }
  const container =
    containers.find((c) =>
      (c.environment ?? []).some((e) => e.name === "IMAGE_QUEUE" && e.value)
    ) ?? containers[0]!;
  const environment: Record<string, string> = {};
  for (const entry of container.environment ?? []) {
    if (entry.name && entry.value) environment[entry.name] = entry.value;
  }
  return {
    arn,
    familyRevision: arn.slice(arn.lastIndexOf("/") + 1),
    containerName: container.name ?? "",
    environment,
    matches: matches.length,
  };
}

/** The account id in a task-definition ARN (its 5th `:` field), if it has one. */
export function accountFromArn(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
