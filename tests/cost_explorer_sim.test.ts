// The simulator's Cost Explorer handler and price list, called directly.
import assert from "node:assert/strict";
import {
  COST_EXPLORER_PAGE_SIZE,
  formatAmount,
  handleCostExplorer,
} from "../mod/sim/aws/cost_explorer.ts";
import { AwsError } from "../mod/sim/aws/aws_error.ts";
import { BYTES_PER_GB, HOURS_PER_MONTH, unitPrice } from "../mod/sim/aws/pricing.ts";
import { UsageLedger } from "../mod/sim/aws/usage.ts";

const H = 3_600_000;
const T0 = Date.UTC(2030, 0, 10, 8); // 2030-01-10T08:00Z
const NOW = Date.UTC(2030, 0, 10, 20);
const SQS = "Amazon Simple Queue Service";
const S3 = "Amazon Simple Storage Service";
const SM = "Amazon SageMaker";
const ECS = "Amazon Elastic Container Service";

interface Amount {
  Amount: string;
  Unit: string;
}
interface Result {
  TimePeriod: { Start: string; End: string };
  Total: Record<string, Amount>;
  Groups: { Keys: string[]; Metrics: Record<string, Amount> }[];
  Estimated: boolean;
}
interface Body {
  NextPageToken?: string;
  GroupDefinitions?: unknown[];
  ResultsByTime: Result[];
  DimensionValueAttributes: unknown[];
}

function call(input: Record<string, unknown>, ledger: UsageLedger, now = NOW, pageSize?: number) {
  return handleCostExplorer(
    "GetCostAndUsage",
    input,
    pageSize === undefined ? { ledger, now } : { ledger, now, pageSize },
  ) as Body;
}

/** Every page of a query, following NextPageToken. */
function allPages(input: Record<string, unknown>, ledger: UsageLedger, pageSize?: number) {
  const pages: Body[] = [];
  let token: string | undefined;
  do {
    const page = call(token ? { ...input, NextPageToken: token } : input, ledger, NOW, pageSize);
    pages.push(page);
    token = page.NextPageToken;
  } while (token);
  return pages;
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function expectError(fn: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected AwsError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, 400);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

/** A ledger with: SQS requests in hours 8 and 9, one SageMaker endpoint 08:30–10:15. */
function sampleLedger(): UsageLedger {
  const ledger = new UsageLedger();
  ledger.record(SQS, "Requests-Tier1", 1_000_000, T0 + 10 * 60_000);
  ledger.record(SQS, "Requests-Tier1", 500_000, T0 + H + 5 * 60_000);
  ledger.record(S3, "Requests-Tier2", 10_000, T0 + H);
  const endpoint = ledger.start({
    service: SM,
    usageType: "ml.g4dn.xlarge-Hosting",
    unitsPerHour: 2,
    since: T0 + 30 * 60_000,
  });
  ledger.stop(endpoint, T0 + 2 * H + 15 * 60_000);
  return ledger;
}

function near(actual: number, expected: number): void {
  assert.ok(
    Math.abs(actual - expected) <= Math.abs(expected) * 1e-12,
    `${actual} is not ${expected}`,
  );
}

Deno.test("pricing: list prices per unit, region prefixes ignored, unknown usage free", () => {
  near(unitPrice(SQS, "Requests-Tier1"), 0.4 / 1e6);
  near(unitPrice(S3, "Requests-Tier1"), 0.005 / 1000);
  near(unitPrice(S3, "Requests-Tier2"), 0.0004 / 1000);
  near(unitPrice(S3, "TimedStorage-ByteHrs"), 0.023 / (BYTES_PER_GB * HOURS_PER_MONTH));
  near(unitPrice(SM, "ml.g4dn.xlarge-Hosting"), 0.736);
  near(unitPrice(SM, "USE1-Host:ml.g4dn.xlarge"), 0.736);
  near(unitPrice(ECS, "Fargate-vCPU-Hours:perCPU"), 0.04048);
  near(unitPrice(ECS, "USE1-Fargate-vCPU-Hours:perCPU"), 0.04048);
  near(unitPrice(SM, "ml.unknown.huge-Hosting"), 0);
  near(unitPrice("Made Up Service", "Requests-Tier1"), 0);
});

Deno.test("formatAmount writes plain decimals with at most 10 places", () => {
  assert.equal(formatAmount(4e-7), "0.0000004");
  assert.equal(formatAmount(1.104), "1.104");
  assert.equal(formatAmount(10), "10");
  assert.equal(formatAmount(0), "0");
  assert.equal(formatAmount(1e-12), "0");
});

Deno.test("HOURLY totals: records by hour, running resources by overlap, no groups", () => {
  const body = call({
    TimePeriod: { Start: iso(T0), End: iso(T0 + 3 * H) },
    Granularity: "HOURLY",
    Metrics: ["BlendedCost", "UnblendedCost", "UsageQuantity"],
  }, sampleLedger());
  assert.equal(body.NextPageToken, undefined);
  assert.equal(body.GroupDefinitions, undefined);
  assert.deepEqual(body.DimensionValueAttributes, []);
  assert.equal(body.ResultsByTime.length, 3);
  const [h8, h9, h10] = body.ResultsByTime as [Result, Result, Result];
  assert.deepEqual(h8.TimePeriod, { Start: "2030-01-10T08:00:00Z", End: "2030-01-10T09:00:00Z" });
  assert.deepEqual(h8.Groups, []);
  // 08:00: 1M SQS requests ($0.40) + endpoint 0.5 h × 2 instances × $0.736 ($0.736).
  assert.deepEqual(h8.Total["BlendedCost"], { Amount: "1.136", Unit: "USD" });
  assert.deepEqual(h8.Total["UnblendedCost"], { Amount: "1.136", Unit: "USD" });
  assert.deepEqual(h8.Total["UsageQuantity"], { Amount: "1000001", Unit: "N/A" });
  // 09:00: 0.5M SQS ($0.20) + 10k S3 GETs ($0.004) + 2 instance-hours ($1.472).
  assert.equal(h9.Total["BlendedCost"]?.Amount, "1.676");
  // 10:00: 0.25 h × 2 × 0.736 = 0.368.
  assert.equal(h10.Total["BlendedCost"]?.Amount, "0.368");
  assert.equal(h10.Estimated, true);
});

Deno.test("HOURLY window is widened to whole clock hours", () => {
  const body = call({
    TimePeriod: { Start: "2030-01-10T08:44:51Z", End: "2030-01-10T09:10:01Z" },
    Granularity: "HOURLY",
    Metrics: ["BlendedCost"],
  }, sampleLedger());
  assert.deepEqual(body.ResultsByTime.map((r) => r.TimePeriod.Start), [
    "2030-01-10T08:00:00Z",
    "2030-01-10T09:00:00Z",
  ]);
  assert.equal(body.ResultsByTime[0]?.Total["BlendedCost"]?.Amount, "1.136");
});

Deno.test("GroupBy SERVICE: one group per service with usage, Total empty", () => {
  const body = call({
    TimePeriod: { Start: iso(T0), End: iso(T0 + 2 * H) },
    Granularity: "HOURLY",
    Metrics: ["BlendedCost"],
    GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
  }, sampleLedger());
  assert.deepEqual(body.GroupDefinitions, [{ Type: "DIMENSION", Key: "SERVICE" }]);
  const [h8, h9] = body.ResultsByTime as [Result, Result];
  assert.deepEqual(h8.Total, {});
  assert.deepEqual(h8.Groups, [
    { Keys: [SM], Metrics: { BlendedCost: { Amount: "0.736", Unit: "USD" } } },
    { Keys: [SQS], Metrics: { BlendedCost: { Amount: "0.4", Unit: "USD" } } },
  ]);
  assert.deepEqual(h9.Groups.map((g) => [g.Keys[0], g.Metrics["BlendedCost"]?.Amount]), [
    [SM, "1.472"],
    [SQS, "0.2"],
    [S3, "0.004"],
  ]);
});

Deno.test("GroupBy USAGE_TYPE and TAG", () => {
  const ledger = sampleLedger();
  const body = call({
    TimePeriod: { Start: iso(T0), End: iso(T0 + H) },
    Granularity: "HOURLY",
    Metrics: ["UnblendedCost"],
    GroupBy: [{ Type: "DIMENSION", Key: "USAGE_TYPE" }, { Type: "TAG", Key: "Project" }],
  }, ledger);
  assert.deepEqual(body.ResultsByTime[0]?.Groups.map((g) => g.Keys), [
    ["Requests-Tier1", "Project$"],
    ["ml.g4dn.xlarge-Hosting", "Project$osml-model-runner"],
  ]);
});

Deno.test("DAILY and MONTHLY periods are UTC days and month pieces", () => {
  const ledger = sampleLedger();
  const daily = call({
    TimePeriod: { Start: "2030-01-09", End: "2030-01-11" },
    Granularity: "DAILY",
    Metrics: ["BlendedCost"],
  }, ledger);
  assert.deepEqual(daily.ResultsByTime.map((r) => [r.TimePeriod.Start, r.Total["BlendedCost"]]), [
    ["2030-01-09", { Amount: "0", Unit: "USD" }],
    ["2030-01-10", { Amount: "3.18", Unit: "USD" }],
  ]);
  const monthly = call(
    {
      TimePeriod: { Start: "2029-12-20", End: "2030-02-05" },
      Granularity: "MONTHLY",
      Metrics: ["BlendedCost"],
    },
    ledger,
    Date.UTC(2030, 2, 1),
  );
  assert.deepEqual(monthly.ResultsByTime.map((r) => r.TimePeriod), [
    { Start: "2029-12-20", End: "2030-01-01" },
    { Start: "2030-01-01", End: "2030-02-01" },
    { Start: "2030-02-01", End: "2030-02-05" },
  ]);
  assert.equal(monthly.ResultsByTime[1]?.Total["BlendedCost"]?.Amount, "3.18");
  assert.equal(monthly.ResultsByTime[0]?.Estimated, false);
});

Deno.test("a running resource accrues until now; S3 storage is prorated per hour", () => {
  const ledger = new UsageLedger();
  ledger.start({
    service: ECS,
    usageType: "Fargate-vCPU-Hours:perCPU",
    unitsPerHour: 4,
    since: T0,
  });
  ledger.start({
    service: S3,
    usageType: "TimedStorage-ByteHrs",
    unitsPerHour: BYTES_PER_GB * HOURS_PER_MONTH,
    since: T0,
  });
  const now = T0 + 90 * 60_000; // 09:30
  const body = call(
    {
      TimePeriod: { Start: iso(T0), End: iso(T0 + 3 * H) },
      Granularity: "HOURLY",
      Metrics: ["BlendedCost"],
      GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
    },
    ledger,
    now,
  );
  const costs = body.ResultsByTime.map((r) =>
    Object.fromEntries(r.Groups.map((g) => [g.Keys[0], g.Metrics["BlendedCost"]?.Amount]))
  );
  // 1 GB-month stored for an hour = $0.023 / 730 per hour... scaled by 730 → $0.023 per hour.
  assert.deepEqual(costs, [
    { [ECS]: "0.16192", [S3]: "0.023" },
    { [ECS]: "0.08096", [S3]: "0.0115" },
    {},
  ]);
});

Deno.test("pagination: at most pageSize periods per page, tokens chain, sum is unchanged", () => {
  const ledger = sampleLedger();
  const input = {
    TimePeriod: { Start: iso(T0 - 4 * H), End: iso(T0 + 6 * H) },
    Granularity: "HOURLY",
    Metrics: ["BlendedCost"],
  };
  const pages = allPages(input, ledger);
  assert.equal(COST_EXPLORER_PAGE_SIZE, 4);
  assert.deepEqual(pages.map((p) => p.ResultsByTime.length), [4, 4, 2]);
  const starts = pages.flatMap((p) => p.ResultsByTime.map((r) => r.TimePeriod.Start));
  assert.equal(new Set(starts).size, 10);
  const total = pages.flatMap((p) => p.ResultsByTime)
    .reduce((sum, r) => sum + Number(r.Total["BlendedCost"]?.Amount), 0);
  assert.equal(Math.round(total * 1e6) / 1e6, 3.18);
  assert.deepEqual(allPages(input, ledger, 3).map((p) => p.ResultsByTime.length), [3, 3, 3, 1]);
  // A token belongs to its query.
  const token = pages[0]?.NextPageToken;
  expectError(
    () => call({ ...input, Metrics: ["UnblendedCost"], NextPageToken: token }, ledger),
    "ValidationException",
    /NextPageToken/,
  );
  expectError(() => call({ ...input, NextPageToken: "garbage" }, ledger), "ValidationException");
});

Deno.test("filters: SERVICE dimension, tags (default deployment tags), And, Not", () => {
  const ledger = sampleLedger();
  ledger.record(SQS, "Requests-Tier1", 1_000_000, T0, { Project: "osml-model-runner" });
  const query = (Filter: unknown) =>
    call({
      TimePeriod: { Start: iso(T0), End: iso(T0 + H) },
      Granularity: "HOURLY",
      Metrics: ["BlendedCost"],
      Filter,
    }, ledger).ResultsByTime[0]?.Total["BlendedCost"]?.Amount;
  assert.equal(query(undefined), "1.536");
  assert.equal(query({ Dimensions: { Key: "SERVICE", Values: [SQS] } }), "0.8");
  assert.equal(query({ Dimensions: { Key: "SERVICE", Values: [SQS, SM] } }), "1.536");
  assert.equal(
    query({
      Dimensions: {
        Key: "SERVICE",
        Values: ["amazon sagemaker"],
        MatchOptions: ["EQUALS", "CASE_INSENSITIVE"],
      },
    }),
    "0.736",
  );
  const tag = { Tags: { Key: "Project", Values: ["osml-model-runner"] } };
  assert.equal(query(tag), "1.136"); // the endpoint (default tags) + the tagged SQS requests
  assert.equal(query({ Tags: { Key: "Project", MatchOptions: ["ABSENT"] } }), "0.4");
  assert.equal(query({ And: [tag, { Dimensions: { Key: "SERVICE", Values: [SQS] } }] }), "0.4");
  assert.equal(query({ Not: tag }), "0.4");
  expectError(() => query({}), "ValidationException", /exactly one/);
  expectError(
    () => query({ Dimensions: { Key: "SERVICE", Values: [SQS] }, Tags: tag.Tags }),
    "ValidationException",
  );
  expectError(() => query({ Dimensions: { Key: "AZ", Values: ["x"] } }), "ValidationException");
});

Deno.test("errors: future Start → DataUnavailable; old HOURLY, bad input → Validation", () => {
  const ledger = new UsageLedger();
  const base = { Granularity: "HOURLY", Metrics: ["BlendedCost"] };
  expectError(
    () => call({ ...base, TimePeriod: { Start: iso(NOW + H), End: iso(NOW + 2 * H) } }, ledger),
    "DataUnavailableException",
  );
  // A window that started before now is fine even if it ends later.
  call({ ...base, TimePeriod: { Start: iso(NOW - H), End: iso(NOW + 2 * H) } }, ledger);
  const old = NOW - 15 * 24 * H;
  expectError(
    () => call({ ...base, TimePeriod: { Start: iso(old), End: iso(old + H) } }, ledger),
    "ValidationException",
    /more than 14 days ago for hourly granularity/,
  );
  call({
    Granularity: "DAILY",
    Metrics: ["BlendedCost"],
    TimePeriod: { Start: "2029-12-01", End: "2029-12-02" },
  }, ledger);
  const bad = (input: Record<string, unknown>, pattern: RegExp) =>
    expectError(() => call(input, ledger), "ValidationException", pattern);
  const period = { Start: iso(T0), End: iso(T0 + H) };
  bad({ ...base, TimePeriod: { Start: "2030-01-10", End: "2030-01-11" } }, /yyyy-MM-ddTHH:mm:ssZ/);
  bad({ ...base, Granularity: "DAILY", TimePeriod: period }, /yyyy-MM-dd/);
  bad({ ...base, TimePeriod: { Start: iso(T0 + H), End: iso(T0) } }, /before end date/);
  bad({ ...base, TimePeriod: { Start: "2030-02-30T00:00:00Z", End: iso(T0) } }, /real date/);
  bad({ ...base, Granularity: "WEEKLY", TimePeriod: period }, /HOURLY, DAILY or MONTHLY/);
  bad({ ...base, Metrics: ["Dollars"], TimePeriod: period }, /Metric Dollars/);
  bad({ Granularity: "HOURLY", TimePeriod: period }, /Metrics is required/);
  bad({ ...base, TimePeriod: period, GroupBy: [{ Type: "DIMENSION", Key: "AZ" }] }, /AZ/);
  expectError(
    () => handleCostExplorer("GetCostForecast", {}, { ledger, now: NOW }),
    "UnknownOperationException",
  );
});
