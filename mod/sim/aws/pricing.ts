/**
 * The simulator's price list: what one unit of each usage type costs, in USD,
 * so that the simulated Cost Explorer can price the usage ledger
 * deterministically. Prices are us-east-1 on-demand list prices without free
 * tiers or volume discounts.
 *
 * Units follow the ledger (`mod/sim/usage.ts`): requests for `Requests-*`,
 * byte-hours for `TimedStorage-ByteHrs` (a GB-month is 2³⁰ bytes for
 * {@linkcode HOURS_PER_MONTH} hours, so storage is prorated per hour),
 * instance-hours for SageMaker `<instanceType>-Hosting`, vCPU-hours and
 * GB-hours for Fargate.
 *
 * Usage types may carry a region prefix as Cost Explorer spells them
 * (`USE1-Fargate-GB-Hours`, `USW2-Requests-Tier1`); it is ignored. A usage type
 * that is not in the table costs nothing ({@linkcode unitPrice} returns 0), so
 * it still shows in `UsageQuantity` but adds nothing to any cost metric.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { unitPrice } from "./pricing.ts";
 * assert.equal(unitPrice("Amazon SageMaker", "ml.g4dn.xlarge-Hosting"), 0.736); // USD per instance-hour
 * assert.equal(unitPrice("Amazon Simple Queue Service", "Requests-Tier1"), 4e-7); // USD per request
 * ```
 * @module
 */

/** Hours in a billing month for prorating per-GB-month prices (AWS's pricing convention). */
export const HOURS_PER_MONTH = 730;

/** Bytes in one GB as AWS bills storage (2³⁰). */
export const BYTES_PER_GB = 1024 ** 3;

/**
 * Cost Explorer's SERVICE dimension values for the services the simulator uses.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Services } from "./pricing.ts";
 * assert.equal(Services.SQS, "Amazon Simple Queue Service");
 * ```
 */
export const Services = {
  SQS: "Amazon Simple Queue Service",
  S3: "Amazon Simple Storage Service",
  SageMaker: "Amazon SageMaker",
  ECS: "Amazon Elastic Container Service",
  SNS: "Amazon Simple Notification Service",
  DynamoDB: "Amazon DynamoDB",
  CloudWatch: "AmazonCloudWatch",
  Kinesis: "Amazon Kinesis",
  Lambda: "AWS Lambda",
  ECR: "Amazon EC2 Container Registry (ECR)",
} as const;

const PER_MILLION = 1 / 1_000_000;
const PER_THOUSAND = 1 / 1_000;
const PER_GB_MONTH = 1 / (BYTES_PER_GB * HOURS_PER_MONTH);

/**
 * USD per unit, by SERVICE then usage type (without region prefix).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { PRICE_TABLE } from "./pricing.ts";
 * const price = PRICE_TABLE["Amazon Simple Storage Service"]?.["Requests-Tier2"];
 * assert.ok(Math.abs(price! - 4e-7) < 1e-18); // $0.0004 per 1,000 requests
 * ```
 */
export const PRICE_TABLE: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  [Services.SQS]: {
    // $0.40 per million standard-queue requests.
    "Requests-Tier1": 0.40 * PER_MILLION,
    // $0.50 per million FIFO requests.
    "Requests-FIFO-Tier1": 0.50 * PER_MILLION,
  },
  [Services.S3]: {
    // PUT, COPY, POST, LIST: $0.005 per 1,000.
    "Requests-Tier1": 0.005 * PER_THOUSAND,
    // GET, HEAD and all other requests: $0.0004 per 1,000.
    "Requests-Tier2": 0.0004 * PER_THOUSAND,
    // S3 Standard: $0.023 per GB-month.
    "TimedStorage-ByteHrs": 0.023 * PER_GB_MONTH,
  },
  [Services.ECS]: {
    "Fargate-vCPU-Hours:perCPU": 0.04048,
    "Fargate-GB-Hours": 0.004445,
  },
  [Services.SNS]: {
    "Requests-Tier1": 0.50 * PER_MILLION,
    // SNS to SQS deliveries are free.
    "DeliveryAttempts-SQS": 0,
  },
  [Services.DynamoDB]: {
    "ReadRequestUnits": 0.125 * PER_MILLION,
    "WriteRequestUnits": 0.625 * PER_MILLION,
    "TimedStorage-ByteHrs": 0.25 * PER_GB_MONTH,
  },
  [Services.CloudWatch]: {
    "CW:Requests": 0.01 * PER_THOUSAND,
    "DataProcessing-Bytes": 0.50 / BYTES_PER_GB,
    "TimedStorage-ByteHrs": 0.03 * PER_GB_MONTH,
  },
  [Services.Kinesis]: {
    "Storage-ShardHour": 0.015,
    "PutRequestPayloadUnits": 0.014 * PER_MILLION,
  },
  [Services.Lambda]: {
    "Request": 0.20 * PER_MILLION,
    "Lambda-GB-Second": 0.0000166667,
  },
  [Services.ECR]: {
    "TimedStorage-ByteHrs": 0.10 * PER_GB_MONTH,
  },
};

/**
 * SageMaker real-time hosting, USD per instance-hour, by instance type.
 * Usage types `<instanceType>-Hosting` (the simulator's spelling) and
 * `Host:<instanceType>` (Cost Explorer's) both look up here.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { SAGEMAKER_HOSTING_PER_HOUR } from "./pricing.ts";
 * assert.equal(SAGEMAKER_HOSTING_PER_HOUR["ml.g4dn.xlarge"], 0.736);
 * ```
 */
export const SAGEMAKER_HOSTING_PER_HOUR: Readonly<Record<string, number>> = {
  "ml.t2.medium": 0.056,
  "ml.m5.large": 0.115,
  "ml.m5.xlarge": 0.23,
  "ml.m5.2xlarge": 0.461,
  "ml.c5.xlarge": 0.204,
  "ml.c5.2xlarge": 0.408,
  "ml.g4dn.xlarge": 0.736,
  "ml.g4dn.2xlarge": 0.94,
  "ml.g4dn.4xlarge": 1.505,
  "ml.g4dn.12xlarge": 4.89,
  "ml.g5.xlarge": 1.408,
  "ml.g5.2xlarge": 1.515,
  "ml.p3.2xlarge": 3.825,
};

const REGION_PREFIX = /^[A-Z]{2,4}\d?-(?=.)/;

/**
 * Strip a Cost Explorer region prefix (`USE1-`, `USW2-`, `EU-`) from a usage type.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { baseUsageType } from "./pricing.ts";
 * assert.equal(baseUsageType("USE1-Fargate-GB-Hours"), "Fargate-GB-Hours");
 * assert.equal(baseUsageType("Requests-Tier1"), "Requests-Tier1");
 * ```
 */
export function baseUsageType(usageType: string): string {
  return usageType.replace(REGION_PREFIX, "");
}

/**
 * The price in USD of one unit of `usageType` of `service`; 0 for usage the
 * table does not know.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { unitPrice } from "./pricing.ts";
 * assert.equal(unitPrice("Amazon Elastic Container Service", "Fargate-vCPU-Hours:perCPU"), 0.04048);
 * assert.equal(unitPrice("Amazon SageMaker", "USE1-Host:ml.m5.xlarge"), 0.23);
 * assert.equal(unitPrice("Some Other Service", "Anything"), 0);
 * ```
 */
export function unitPrice(service: string, usageType: string): number {
  const base = baseUsageType(usageType);
  if (service === Services.SageMaker) {
    const instance = base.endsWith("-Hosting")
      ? base.slice(0, -"-Hosting".length)
      : base.startsWith("Host:")
      ? base.slice("Host:".length)
      : undefined;
    return instance === undefined ? 0 : SAGEMAKER_HOSTING_PER_HOUR[instance] ?? 0;
  }
  return PRICE_TABLE[service]?.[base] ?? 0;
}
