/**
 * The simulator's SageMaker endpoints and endpoint configs, and their API
 * (AWS JSON 1.1, `X-Amz-Target: SageMaker.<Operation>`): ListEndpoints,
 * DescribeEndpoint, ListEndpointConfigs, DescribeEndpointConfig.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SageMakerStore, handleSageMaker } from "./sagemaker_api.ts";
 * const sm = new SageMakerStore("us-west-2", "123456789012");
 * sm.addEndpoint({ name: "centerpoint", instanceType: "ml.g4dn.xlarge", instanceCount: 1 });
 * const out = handleSageMaker("ListEndpoints", { StatusEquals: "InService" }, sm) as {
 *   Endpoints: { EndpointName: string }[];
 * };
 * assert.deepEqual(out.Endpoints.map((e) => e.EndpointName), ["centerpoint"]);
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";

/** Status values of a SageMaker endpoint. */
export type EndpointStatus =
  | "OutOfService"
  | "Creating"
  | "Updating"
  | "SystemUpdating"
  | "RollingBack"
  | "InService"
  | "Deleting"
  | "Failed"
  | "UpdateRollbackFailed";

/** A production variant of an endpoint config. */
export interface ProductionVariant {
  VariantName: string;
  ModelName: string;
  InitialInstanceCount: number;
  InstanceType: string;
  InitialVariantWeight: number;
}

/** An endpoint config. */
export interface EndpointConfig {
  EndpointConfigName: string;
  EndpointConfigArn: string;
  ProductionVariants: ProductionVariant[];
  /** Seconds since epoch. */
  CreationTime: number;
}

/** An endpoint. */
export interface Endpoint {
  EndpointName: string;
  EndpointArn: string;
  EndpointConfigName: string;
  EndpointStatus: EndpointStatus;
  /** Seconds since epoch. */
  CreationTime: number;
  LastModifiedTime: number;
}

/** Input of {@linkcode SageMakerStore.addEndpoint}. */
export interface AddEndpointInput {
  name: string;
  /** Default `InService`. */
  status?: EndpointStatus;
  /** Default `ml.g4dn.xlarge`. */
  instanceType?: string;
  /** Default 1. */
  instanceCount?: number;
  /** Default `<name>-config`. */
  configName?: string;
  /** Seconds since epoch (default now). */
  creationTime?: number;
}

/**
 * Every endpoint and endpoint config of the simulator.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SageMakerStore } from "./sagemaker_api.ts";
 * const sm = new SageMakerStore("us-west-2", "123456789012");
 * assert.equal(sm.addEndpoint({ name: "flood", status: "Updating" }).EndpointStatus, "Updating");
 * ```
 */
export class SageMakerStore {
  readonly region: string;
  readonly account: string;
  readonly endpoints: Map<string, Endpoint> = new Map();
  readonly endpointConfigs: Map<string, EndpointConfig> = new Map();

  /** An empty store for this region and account. */
  constructor(region: string, account: string) {
    this.region = region;
    this.account = account;
  }

  /** Add an endpoint together with its endpoint config (one variant). */
  addEndpoint(input: AddEndpointInput): Endpoint {
    const now = input.creationTime ?? Date.now() / 1000;
    const configName = input.configName ?? `${input.name}-config`;
    this.endpointConfigs.set(configName, {
      EndpointConfigName: configName,
      EndpointConfigArn:
        `arn:aws:sagemaker:${this.region}:${this.account}:endpoint-config/${configName.toLowerCase()}`,
      ProductionVariants: [{
        VariantName: "AllTraffic",
        ModelName: `${input.name}-model`,
        InitialInstanceCount: input.instanceCount ?? 1,
        InstanceType: input.instanceType ?? "ml.g4dn.xlarge",
        InitialVariantWeight: 1,
      }],
      CreationTime: now,
    });
    const endpoint: Endpoint = {
      EndpointName: input.name,
      EndpointArn:
        `arn:aws:sagemaker:${this.region}:${this.account}:endpoint/${input.name.toLowerCase()}`,
      EndpointConfigName: configName,
      EndpointStatus: input.status ?? "InService",
      CreationTime: now,
      LastModifiedTime: now,
    };
    this.endpoints.set(input.name, endpoint);
    return endpoint;
  }
}

function validation(message: string): AwsError {
  return new AwsError(400, "ValidationException", message);
}

function page<T>(items: T[], req: Record<string, unknown>) {
  const max = req.MaxResults === undefined ? 10 : Number(req.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw validation(
      `1 validation error detected: Value '${
        String(req.MaxResults)
      }' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100.`,
    );
  }
  let start = 0;
  if (typeof req.NextToken === "string" && req.NextToken !== "") {
    start = Number(atob(req.NextToken));
    if (!Number.isInteger(start) || start < 0) {
      throw validation("Invalid pagination token: pass the NextToken of the previous page.");
    }
  }
  const out = items.slice(start, start + max);
  const next = start + out.length < items.length ? btoa(String(start + out.length)) : undefined;
  return { out, next };
}

function sortBy<T extends { CreationTime: number }>(
  items: T[],
  req: Record<string, unknown>,
  name: (t: T) => string,
  status?: (t: T) => string,
): T[] {
  const by = req.SortBy ?? "CreationTime";
  const dir = (req.SortOrder ?? "Descending") === "Ascending" ? 1 : -1;
  const key = (t: T): string | number =>
    by === "Name" ? name(t) : by === "Status" && status ? status(t) : t.CreationTime;
  return items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return dir * (ka < kb ? -1 : ka > kb ? 1 : name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
  });
}

/**
 * The SageMaker operations the simulator answers.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SAGEMAKER_OPERATIONS } from "./sagemaker_api.ts";
 * assert.equal(SAGEMAKER_OPERATIONS.includes("ListEndpoints"), true);
 * ```
 */
export const SAGEMAKER_OPERATIONS: readonly string[] = [
  "ListEndpoints",
  "DescribeEndpoint",
  "ListEndpointConfigs",
  "DescribeEndpointConfig",
];

/**
 * Answer one SageMaker operation; returns the JSON response body.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleSageMaker, SageMakerStore } from "./sagemaker_api.ts";
 * assert.deepEqual(
 *   handleSageMaker("ListEndpointConfigs", {}, new SageMakerStore("us-west-2", "123456789012")),
 *   { EndpointConfigs: [] },
 * );
 * ```
 */
export function handleSageMaker(operation: string, input: unknown, store: SageMakerStore): unknown {
  const req = (input ?? {}) as Record<string, unknown>;
  const contains = typeof req.NameContains === "string" ? req.NameContains : "";
  switch (operation) {
    case "ListEndpoints": {
      const items = sortBy(
        [...store.endpoints.values()].filter((e) =>
          e.EndpointName.includes(contains) &&
          (req.StatusEquals === undefined || e.EndpointStatus === req.StatusEquals)
        ),
        req,
        (e) => e.EndpointName,
        (e) => e.EndpointStatus,
      ).map((e) => ({
        EndpointName: e.EndpointName,
        EndpointArn: e.EndpointArn,
        CreationTime: e.CreationTime,
        LastModifiedTime: e.LastModifiedTime,
        EndpointStatus: e.EndpointStatus,
      }));
      const { out, next } = page(items, req);
      return next === undefined ? { Endpoints: out } : { Endpoints: out, NextToken: next };
    }
    case "DescribeEndpoint": {
      const e = store.endpoints.get(String(req.EndpointName));
      if (!e) throw validation(`Could not find endpoint "${String(req.EndpointName)}".`);
      return e;
    }
    case "ListEndpointConfigs": {
      const items = sortBy(
        [...store.endpointConfigs.values()].filter((c) => c.EndpointConfigName.includes(contains)),
        req,
        (c) => c.EndpointConfigName,
      ).map((c) => ({
        EndpointConfigName: c.EndpointConfigName,
        EndpointConfigArn: c.EndpointConfigArn,
        CreationTime: c.CreationTime,
      }));
      const { out, next } = page(items, req);
      return next === undefined
        ? { EndpointConfigs: out }
        : { EndpointConfigs: out, NextToken: next };
    }
    case "DescribeEndpointConfig": {
      const c = store.endpointConfigs.get(String(req.EndpointConfigName));
      if (!c) {
        throw validation(
          `Could not find endpoint configuration "${String(req.EndpointConfigName)}".`,
        );
      }
      return c;
    }
    default:
      throw new AwsError(
        400,
        "UnknownOperationException",
        `The simulator does not implement SageMaker ${operation}: use one of ${
          SAGEMAKER_OPERATIONS.join(", ")
        }.`,
      );
  }
}
