/**
 * The simulator's ECS task definitions and their API (AWS JSON 1.1,
 * `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`):
 * RegisterTaskDefinition, ListTaskDefinitions, DescribeTaskDefinition;
 * CreateCluster, ListClusters, DescribeClusters; RunTask, DescribeTasks,
 * ListTasks and StopTask over the clusters and tasks of `ecs_tasks.ts`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { EcsStore, handleEcs } from "./ecs_api.ts";
 * const ecs = new EcsStore("us-west-2", "123456789012");
 * ecs.register({ family: "web", containerDefinitions: [{ name: "app", environment: [] }] });
 * assert.deepEqual(
 *   handleEcs("ListTaskDefinitions", {}, ecs),
 *   { taskDefinitionArns: ["arn:aws:ecs:us-west-2:123456789012:task-definition/web:1"] },
 * );
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";
import { type EcsCluster, EcsTasks, type RunTaskInput, type TaskRunner } from "./ecs_tasks.ts";
import type { UsageLedger } from "./usage.ts";

/** A key/value pair of a container's environment. */
export interface EnvironmentVariable {
  name: string;
  value: string;
}

/** A container definition (the fields the tool reads, plus any others given). */
export interface ContainerDefinition {
  name: string;
  image?: string;
  environment?: EnvironmentVariable[];
  [field: string]: unknown;
}

/** A registered task definition revision. */
export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: "ACTIVE" | "INACTIVE";
  containerDefinitions: ContainerDefinition[];
  /** Seconds since epoch. */
  registeredAt: number;
  [field: string]: unknown;
}

/** Input of {@linkcode EcsStore.register}. */
export interface RegisterTaskDefinitionInput {
  family: string;
  containerDefinitions: ContainerDefinition[];
  [field: string]: unknown;
}

function clientError(message: string): AwsError {
  return new AwsError(400, "ClientException", message);
}

/**
 * Every task definition revision of the simulator.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { EcsStore } from "./ecs_api.ts";
 * const ecs = new EcsStore("us-west-2", "123456789012");
 * assert.equal(ecs.register({ family: "f", containerDefinitions: [{ name: "c" }] }).revision, 1);
 * ```
 */
export class EcsStore {
  readonly region: string;
  readonly account: string;
  /** All revisions, in registration order. */
  readonly taskDefinitions: TaskDefinition[] = [];
  /** Clusters and tasks (RunTask starts processes through `tasks.runner`). */
  readonly tasks: EcsTasks;

  /** An empty store for this region and account. */
  constructor(
    region: string,
    account: string,
    options: {
      ledger?: UsageLedger;
      taskRunner?: TaskRunner | undefined;
      env?: Record<string, string>;
    } = {},
  ) {
    this.region = region;
    this.account = account;
    this.tasks = new EcsTasks({
      region,
      account,
      findTaskDefinition: (ref) => this.find(ref),
      runner: options.taskRunner,
      env: options.env ?? {},
      ledger: options.ledger,
    });
  }

  /** Register a new revision of `input.family`. */
  register(input: RegisterTaskDefinitionInput): TaskDefinition {
    if (typeof input.family !== "string" || !/^[A-Za-z0-9_-]{1,255}$/.test(input.family)) {
      throw clientError(
        `Family must be 1-255 letters, numbers, hyphens or underscores (got ${
          JSON.stringify(input.family)
        }).`,
      );
    }
    if (!Array.isArray(input.containerDefinitions) || input.containerDefinitions.length === 0) {
      throw clientError(
        "Container list cannot be empty: give at least one containerDefinitions entry.",
      );
    }
    const revision = this.taskDefinitions.filter((t) => t.family === input.family).length + 1;
    const td: TaskDefinition = {
      ...structuredClone(input),
      taskDefinitionArn:
        `arn:aws:ecs:${this.region}:${this.account}:task-definition/${input.family}:${revision}`,
      family: input.family,
      revision,
      status: "ACTIVE",
      containerDefinitions: structuredClone(input.containerDefinitions),
      registeredAt: Date.now() / 1000,
    };
    this.taskDefinitions.push(td);
    return td;
  }

  /** Find by ARN, `family:revision`, or `family` (latest ACTIVE revision). */
  find(ref: string): TaskDefinition | undefined {
    if (ref.startsWith("arn:")) {
      return this.taskDefinitions.find((t) => t.taskDefinitionArn === ref);
    }
    const colon = ref.lastIndexOf(":");
    if (colon > 0) {
      const family = ref.slice(0, colon);
      const rev = Number(ref.slice(colon + 1));
      return this.taskDefinitions.find((t) => t.family === family && t.revision === rev);
    }
    return this.taskDefinitions.filter((t) => t.family === ref && t.status === "ACTIVE").at(-1);
  }
}

function pageOf<T>(items: T[], req: Record<string, unknown>, maxCap: number) {
  const max = req.maxResults === undefined ? maxCap : Number(req.maxResults);
  if (!Number.isInteger(max) || max < 1 || max > maxCap) {
    throw new AwsError(
      400,
      "InvalidParameterException",
      `maxResults must be between 1 and ${maxCap} (got ${String(req.maxResults)}).`,
    );
  }
  let start = 0;
  if (typeof req.nextToken === "string" && req.nextToken !== "") {
    start = Number(atob(req.nextToken));
    if (!Number.isInteger(start) || start < 0) {
      throw new AwsError(
        400,
        "InvalidParameterException",
        "Invalid nextToken: pass the nextToken of the previous page.",
      );
    }
  }
  const page = items.slice(start, start + max);
  const next = start + page.length < items.length ? btoa(String(start + page.length)) : undefined;
  return { page, next };
}

/**
 * The ECS operations the simulator answers.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ECS_OPERATIONS } from "./ecs_api.ts";
 * assert.equal(ECS_OPERATIONS.includes("RunTask"), true);
 * ```
 */
export const ECS_OPERATIONS: readonly string[] = [
  "RegisterTaskDefinition",
  "ListTaskDefinitions",
  "DescribeTaskDefinition",
  "CreateCluster",
  "ListClusters",
  "DescribeClusters",
  "RunTask",
  "DescribeTasks",
  "ListTasks",
  "StopTask",
];

/**
 * Answer one ECS operation; returns the JSON response body.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { EcsStore, handleEcs } from "./ecs_api.ts";
 * assert.deepEqual(
 *   handleEcs("ListTaskDefinitions", { sort: "DESC" }, new EcsStore("us-west-2", "123456789012")),
 *   { taskDefinitionArns: [] },
 * );
 * ```
 */
export function handleEcs(operation: string, input: unknown, store: EcsStore): unknown {
  const req = (input ?? {}) as Record<string, unknown>;
  switch (operation) {
    case "RegisterTaskDefinition": {
      const td = store.register(req as RegisterTaskDefinitionInput);
      return { taskDefinition: td, tags: Array.isArray(req.tags) ? req.tags : [] };
    }
    case "ListTaskDefinitions": {
      const prefix = typeof req.familyPrefix === "string" ? req.familyPrefix : undefined;
      const status = req.status === "INACTIVE"
        ? "INACTIVE"
        : req.status === "DELETE_IN_PROGRESS"
        ? "DELETE_IN_PROGRESS"
        : "ACTIVE";
      const sort = req.sort === "DESC" ? -1 : 1;
      const items = store.taskDefinitions
        .filter((t) => t.status === status && (prefix === undefined || t.family === prefix))
        .sort((a, b) =>
          sort * (a.family < b.family ? -1 : a.family > b.family ? 1 : a.revision - b.revision)
        )
        .map((t) => t.taskDefinitionArn);
      const { page, next } = pageOf(items, req, 100);
      return next === undefined
        ? { taskDefinitionArns: page }
        : { taskDefinitionArns: page, nextToken: next };
    }
    case "DescribeTaskDefinition": {
      const ref = typeof req.taskDefinition === "string" ? req.taskDefinition : "";
      const td = store.find(ref);
      if (!td) {
        throw clientError(
          `Unable to describe task definition ${
            JSON.stringify(ref)
          }: check the family, revision or ARN (ListTaskDefinitions shows what exists).`,
        );
      }
      return { taskDefinition: td, tags: [] };
    }
    case "CreateCluster": {
      const name = typeof req.clusterName === "string" ? req.clusterName : "default";
      const tags = Array.isArray(req.tags) ? req.tags as { key: string; value: string }[] : [];
      return { cluster: clusterOut(store, store.tasks.createCluster(name, tags)) };
    }
    case "ListClusters": {
      const { page, next } = pageOf(store.tasks.listClusters().map((c) => c.clusterArn), req, 100);
      return next === undefined ? { clusterArns: page } : { clusterArns: page, nextToken: next };
    }
    case "DescribeClusters": {
      const refs = Array.isArray(req.clusters) ? req.clusters.map(String) : ["default"];
      const clusters = [];
      const failures = [];
      for (const ref of refs) {
        const c = store.tasks.findCluster(ref);
        if (c) clusters.push(clusterOut(store, c));
        else failures.push({ arn: ref, reason: "MISSING" });
      }
      return { clusters, failures };
    }
    case "RunTask":
      return store.tasks.run(req as RunTaskInput);
    case "DescribeTasks": {
      const refs = Array.isArray(req.tasks) ? req.tasks.map(String) : [];
      const include = Array.isArray(req.include) ? req.include.map(String) : [];
      return store.tasks.describe(optionalString(req.cluster), refs, include.includes("TAGS"));
    }
    case "ListTasks": {
      const arns = store.tasks.list({
        cluster: optionalString(req.cluster),
        family: optionalString(req.family),
        startedBy: optionalString(req.startedBy),
        desiredStatus: optionalString(req.desiredStatus),
        launchType: optionalString(req.launchType),
      });
      const { page, next } = pageOf(arns, req, 100);
      return next === undefined ? { taskArns: page } : { taskArns: page, nextToken: next };
    }
    case "StopTask": {
      const ref = optionalString(req.task);
      if (ref === undefined) {
        throw new AwsError(
          400,
          "InvalidParameterException",
          "task is required: pass the task ARN or id.",
        );
      }
      return {
        task: store.tasks.stop(optionalString(req.cluster), ref, optionalString(req.reason)),
      };
    }
    default:
      throw new AwsError(
        400,
        "UnknownOperationException",
        `The simulator does not implement ECS ${operation}: use one of ${
          ECS_OPERATIONS.join(", ")
        }.`,
      );
  }
}

function optionalString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function clusterOut(store: EcsStore, c: EcsCluster) {
  const counts = store.tasks.clusterCounts(c);
  return {
    clusterArn: c.clusterArn,
    clusterName: c.clusterName,
    status: c.status,
    runningTasksCount: counts.running,
    pendingTasksCount: counts.pending,
    activeServicesCount: 0,
    registeredContainerInstancesCount: 0,
    tags: c.tags,
  };
}
