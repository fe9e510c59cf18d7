/**
 * Querying Cost Explorer for a run's window: the total (no GroupBy) and the
 * costs by SERVICE, every page read, with upstream's request shape
 * (docs/compatibility.md#cost-report: us-east-1, HOURLY, End = stop + 1 s, metrics
 * BlendedCost, UnblendedCost, UsageQuantity) plus the fixes: pagination,
 * DAILY fallback for windows older than Cost Explorer's hourly data, a
 * choice of metric, and SERVICE / cost-allocation tag filters.
 *
 * The client is the real SDK's; it honours `AWS_ENDPOINT_URL` and
 * `AWS_ENDPOINT_URL_COST_EXPLORER`, which is how tests point it at the simulator.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { queryWindowCosts } from "./query_costs.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * // The simulator's Cost Explorer, with 1 million SQS requests ($0.40) on 2025-12-09.
 * const sim = await startSimulator({ port: 0, modelRunner: false });
 * sim.ledger.record("Amazon Simple Queue Service", "Requests-Tier1", 1_000_000, Date.UTC(2025, 11, 9, 10));
 * const client = new CostExplorerClient(simClientConfig(sim));
 * const costs = await queryWindowCosts(client, {
 *   start: parseSummaryTime("2025-12-09T10:00:00Z")!,
 *   stop: parseSummaryTime("2025-12-09T12:00:00Z")!,
 *   granularity: "HOURLY", metric: "BlendedCost", services: [], tags: [],
 * });
 * assert.equal(costs.total, 0.4);
 * // More than 14 days ago: Cost Explorer refuses HOURLY, so the figures are DAILY, with a note.
 * assert.equal(costs.granularity, "DAILY");
 * assert.deepEqual(costs.timePeriod, { Start: "2025-12-09", End: "2025-12-10" });
 * assert.equal(costs.notes.length, 1);
 * client.destroy();
 * await sim.close();
 * ```
 * @module
 */
import type { AwsSettings } from "../aws/aws_settings.ts";
import { awsClientConfig } from "../aws/client_config.ts";
import { withCallDeadline } from "../aws/call_deadline.ts";
import {
  CostExplorerClient,
  type Expression,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
  type GetCostAndUsageCommandOutput,
} from "@aws-sdk/client-cost-explorer";
import { UsageError } from "../usage_error.ts";
import type { WindowCosts } from "./cost_report.ts";
import type { CostMetric } from "../model/cost_metrics.ts";
import { type SummaryTime, toCostExplorerDate, toCostExplorerHour } from "./summary_time.ts";

/** Cost Explorer answers in this region only. */
export const COST_EXPLORER_REGION = "us-east-1";

export { COST_METRICS, type CostMetric } from "../model/cost_metrics.ts";

/** The metrics upstream requests (it reports only BlendedCost). */
const UPSTREAM_METRICS = ["BlendedCost", "UnblendedCost", "UsageQuantity"];

/** What to ask Cost Explorer. */
export interface CostQuery {
  start: SummaryTime;
  stop: SummaryTime;
  /** HOURLY (default, upstream) or DAILY (whole UTC days). */
  granularity: "HOURLY" | "DAILY";
  /** The cost metric to report. */
  metric: CostMetric;
  /** Restrict to these SERVICE values (none: every service). */
  services: readonly string[];
  /** Restrict to resources carrying these cost-allocation tags (values of one key are OR-ed). */
  tags: readonly { key: string; value: string }[];
}

/** The window's costs plus how they were obtained. */
export interface CostQueryResult extends WindowCosts {
  /** The granularity the figures are at (DAILY after a fallback). */
  granularity: "HOURLY" | "DAILY";
  /** The TimePeriod sent to Cost Explorer. */
  timePeriod: { Start: string; End: string };
  /** GetCostAndUsage calls made (pages read). */
  calls: number;
  /** Things the user should know (a fallback to DAILY), one line each. */
  notes: string[];
}

/**
 * A Cost Explorer client for {@linkcode COST_EXPLORER_REGION}; its endpoint and static
 * credentials come from `aws.env` (default the process environment).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { createCostExplorerClient } from "./query_costs.ts";
 * const client = createCostExplorerClient();
 * assert.equal(await client.config.region(), "us-east-1");
 * client.destroy();
 * ```
 */
export function createCostExplorerClient(
  aws: Omit<AwsSettings, "region"> = {},
): CostExplorerClient {
  const settings = { region: COST_EXPLORER_REGION, ...aws };
  return withCallDeadline(
    new CostExplorerClient(awsClientConfig("cost_explorer", settings)),
    "cost_explorer",
    settings,
  );
}

/**
 * The TimePeriod for a window: HOURLY `Start` = start in UTC, `End` = stop + 1 s
 * (upstream's rule); DAILY from the start's UTC date to the day after the
 * stop's UTC date.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { costExplorerTimePeriod } from "./query_costs.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * const start = parseSummaryTime("2025-12-09T10:00:00Z")!;
 * const stop = parseSummaryTime("2025-12-09T11:00:00Z")!;
 * assert.deepEqual(
 *   costExplorerTimePeriod(start, stop, "HOURLY"),
 *   { Start: "2025-12-09T10:00:00Z", End: "2025-12-09T11:00:01Z" },
 * );
 * assert.deepEqual(costExplorerTimePeriod(start, stop, "DAILY"), { Start: "2025-12-09", End: "2025-12-10" });
 * ```
 */
export function costExplorerTimePeriod(
  start: SummaryTime,
  stop: SummaryTime,
  granularity: "HOURLY" | "DAILY",
): { Start: string; End: string } {
  return granularity === "HOURLY"
    ? { Start: toCostExplorerHour(start), End: toCostExplorerHour(stop, 1) }
    : { Start: toCostExplorerDate(start), End: toCostExplorerDate(stop, 1) };
}

/**
 * The Filter expression for `--service` and `--tag` (undefined when neither is given).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { costFilter } from "./query_costs.ts";
 * assert.deepEqual(costFilter(["Amazon SageMaker"], [{ key: "Project", value: "osml-model-runner" }]), {
 *   And: [
 *     { Dimensions: { Key: "SERVICE", Values: ["Amazon SageMaker"], MatchOptions: ["EQUALS"] } },
 *     { Tags: { Key: "Project", Values: ["osml-model-runner"], MatchOptions: ["EQUALS"] } },
 *   ],
 * });
 * assert.equal(costFilter([], []), undefined);
 * ```
 */
export function costFilter(
  services: readonly string[],
  tags: readonly { key: string; value: string }[],
): Expression | undefined {
  const parts: Expression[] = [];
  if (services.length > 0) {
    parts.push({
      Dimensions: { Key: "SERVICE", Values: [...new Set(services)], MatchOptions: ["EQUALS"] },
    });
  }
  const byKey = new Map<string, string[]>();
  for (const { key, value } of tags) {
    const values = byKey.get(key) ?? [];
    if (!values.includes(value)) values.push(value);
    byKey.set(key, values);
  }
  for (const [key, values] of byKey) {
    parts.push({ Tags: { Key: key, Values: values, MatchOptions: ["EQUALS"] } });
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { And: parts };
}

function isHourlyRefusal(error: unknown): boolean {
  return error instanceof Error && error.name === "ValidationException" &&
    /hourly/i.test(error.message);
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Turn the errors a user can act on into one-line {@linkcode UsageError}s. */
function explain(error: unknown, period: { Start: string; End: string }): unknown {
  if (!(error instanceof Error)) return error;
  switch (error.name) {
    case "AccessDeniedException":
    case "AccessDenied":
    case "UnauthorizedOperation":
      return new UsageError(
        `Cost Explorer refused access (${describe(error)}): the AWS identity needs the IAM ` +
          "permission ce:GetCostAndUsage (and Cost Explorer enabled for the account)",
      );
    case "DataUnavailableException":
      return new UsageError(
        `Cost Explorer has no data yet for ${period.Start} to ${period.End} ` +
          `(${describe(error)}): cost data can take 24-48 hours to appear; run the cost ` +
          "report again later",
      );
    case "ValidationException":
      return new UsageError(
        `Cost Explorer rejected the query for ${period.Start} to ${period.End} ` +
          `(${describe(error)}): check --start/--end, --granularity, --service and --tag`,
      );
    case "CredentialsProviderError":
      return new UsageError(
        `no AWS credentials for Cost Explorer (${error.message}): configure credentials ` +
          "(AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance role)",
      );
    default:
      return error;
  }
}

async function readAllPages(
  client: CostExplorerClient,
  input: GetCostAndUsageCommandInput,
  onPage: (page: GetCostAndUsageCommandOutput) => void,
): Promise<number> {
  let calls = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new GetCostAndUsageCommand(token === undefined ? input : { ...input, NextPageToken: token }),
    );
    calls++;
    onPage(page);
    token = page.NextPageToken || undefined;
  } while (token !== undefined);
  return calls;
}

function amount(value: string | undefined): number {
  const n = Number(value ?? "0");
  return Number.isFinite(n) ? n : 0;
}

async function queryAt(
  client: CostExplorerClient,
  query: CostQuery,
  granularity: "HOURLY" | "DAILY",
): Promise<Omit<CostQueryResult, "notes">> {
  const timePeriod = costExplorerTimePeriod(query.start, query.stop, granularity);
  const metrics = UPSTREAM_METRICS.includes(query.metric)
    ? UPSTREAM_METRICS
    : [query.metric, ...UPSTREAM_METRICS];
  const filter = costFilter(query.services, query.tags);
  const base: GetCostAndUsageCommandInput = {
    TimePeriod: timePeriod,
    Granularity: granularity,
    Metrics: metrics,
    ...(filter ? { Filter: filter } : {}),
  };
  let total = 0;
  let calls = await readAllPages(client, base, (page) => {
    for (const result of page.ResultsByTime ?? []) {
      total += amount(result.Total?.[query.metric]?.Amount);
    }
  });
  const byService = new Map<string, number>();
  calls += await readAllPages(
    client,
    { ...base, GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }] },
    (page) => {
      for (const result of page.ResultsByTime ?? []) {
        for (const group of result.Groups ?? []) {
          const service = group.Keys?.[0];
          if (!service) continue;
          const cost = amount(group.Metrics?.[query.metric]?.Amount);
          byService.set(service, (byService.get(service) ?? 0) + cost);
        }
      }
    },
  );
  return { total, byService, granularity, timePeriod, calls };
}

/**
 * Query the window's total and per-service costs. An HOURLY query that Cost
 * Explorer refuses because the window is older than its hourly data is
 * retried DAILY, with a note. Access denied, data not yet available and other
 * validation errors become {@linkcode UsageError}s with a hint; anything else
 * (network, throttling after the SDK's retries) is rethrown.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { queryWindowCosts } from "./query_costs.ts";
 * import { parseSummaryTime } from "./summary_time.ts";
 * // The simulator's Cost Explorer, with 1 million SQS requests ($0.40) on 2025-12-09.
 * const sim = await startSimulator({ port: 0, modelRunner: false });
 * sim.ledger.record("Amazon Simple Queue Service", "Requests-Tier1", 1_000_000, Date.UTC(2025, 11, 9, 10));
 * const client = new CostExplorerClient(simClientConfig(sim));
 * const { byService } = await queryWindowCosts(client, {
 *   start: parseSummaryTime("2025-12-09T10:00:00Z")!, stop: parseSummaryTime("2025-12-09T12:00:00Z")!,
 *   granularity: "DAILY", metric: "UnblendedCost", services: ["Amazon Simple Queue Service"], tags: [],
 * });
 * assert.deepEqual([...byService], [["Amazon Simple Queue Service", 0.4]]);
 * client.destroy();
 * await sim.close();
 * ```
 */
export async function queryWindowCosts(
  client: CostExplorerClient,
  query: CostQuery,
): Promise<CostQueryResult> {
  const notes: string[] = [];
  let period = costExplorerTimePeriod(query.start, query.stop, query.granularity);
  try {
    try {
      return { ...await queryAt(client, query, query.granularity), notes };
    } catch (error) {
      if (query.granularity !== "HOURLY" || !isHourlyRefusal(error)) throw error;
      period = costExplorerTimePeriod(query.start, query.stop, "DAILY");
      notes.push(
        "Cost Explorer keeps hourly data for the last 14 days only and refused this window " +
          `(${describe(error)}); these costs are DAILY and cover the whole UTC days ` +
          `${period.Start} to ${period.End} (end exclusive), so they include usage outside the run`,
      );
      return { ...await queryAt(client, query, "DAILY"), notes };
    }
  } catch (error) {
    throw explain(error, period);
  }
}
