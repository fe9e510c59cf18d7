/**
 * The simulator's Cost Explorer (`AWSInsightsIndexService`, JSON 1.1):
 * `GetCostAndUsage` priced deterministically from the {@linkcode UsageLedger}
 * with the price list of `pricing.ts`.
 *
 * Rules (documented so that tests can compute every figure by hand):
 * - Periods: HOURLY takes `YYYY-MM-DDTHH:MM:SSZ`, DAILY and MONTHLY
 *   `YYYY-MM-DD`; End is exclusive. An HOURLY window is widened to whole clock
 *   hours (Start rounded down, End rounded up); DAILY periods are UTC days;
 *   MONTHLY periods are cut at UTC month starts (the first and last may be partial).
 * - Amounts: a ledger record counts in the period holding its hour; a running
 *   resource contributes `unitsPerHour × hours of overlap` with each period,
 *   its end being `until`, or `now` while it runs. Cost = quantity × unit price.
 *   Every cost metric (BlendedCost, UnblendedCost, AmortizedCost, Net*) is the
 *   same figure. Amounts are decimal strings with at most 10 decimals; costs
 *   are in `USD`, UsageQuantity in `N/A` (it mixes units, as AWS says).
 * - `Estimated` is true for a period that ended less than 24 hours before `now`.
 * - Errors: `DataUnavailableException` when Start is later than `now` (there is
 *   no data yet); `ValidationException` for a malformed or empty period, an
 *   unknown granularity, metric, group or filter, a bad page token, and an
 *   HOURLY Start more than {@linkcode HOURLY_RETENTION_DAYS} days before `now`
 *   (with AWS's wording, so clients can fall back to DAILY). Access denial and
 *   throttling come from the simulator's fault settings, not from here.
 * - Tags: a record or resource carries the tags it was given in the ledger;
 *   SageMaker and ECS running resources that were given none carry
 *   {@linkcode DEFAULT_DEPLOYMENT_TAGS} (the simulated deployment's tags).
 * - Pagination: at most `pageSize` (default {@linkcode COST_EXPLORER_PAGE_SIZE})
 *   entries of `ResultsByTime` per response, the rest behind `NextPageToken`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleCostExplorer } from "./cost_explorer.ts";
 * import { UsageLedger } from "./usage.ts";
 * const ledger = new UsageLedger();
 * ledger.record("Amazon Simple Queue Service", "Requests-Tier1", 1_000_000, Date.UTC(2030, 0, 1, 10));
 * const body = handleCostExplorer("GetCostAndUsage", {
 *   TimePeriod: { Start: "2030-01-01T10:00:00Z", End: "2030-01-01T11:00:00Z" },
 *   Granularity: "HOURLY",
 *   Metrics: ["BlendedCost"],
 * }, { ledger, now: Date.UTC(2030, 0, 2) }) as { ResultsByTime: { Total: Record<string, unknown> }[] };
 * assert.deepEqual(body.ResultsByTime[0]?.Total.BlendedCost, { Amount: "0.4", Unit: "USD" });
 * ```
 * @module
 */
import { COST_METRICS } from "../../model/cost_metrics.ts";
import { AwsError } from "./aws_error.ts";
import { Services, unitPrice } from "./pricing.ts";
import type { UsageLedger } from "./usage.ts";

/** Default number of `ResultsByTime` entries per `GetCostAndUsage` page. */
export const COST_EXPLORER_PAGE_SIZE = 4;

/** How far back (days before `now`) HOURLY data is kept, as in AWS. */
export const HOURLY_RETENTION_DAYS = 14;

/**
 * Tags the simulated deployment's SageMaker endpoints and ECS workers carry
 * when the ledger gave them none.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { DEFAULT_DEPLOYMENT_TAGS } from "./cost_explorer.ts";
 * assert.equal(DEFAULT_DEPLOYMENT_TAGS.Project, "osml-model-runner");
 * ```
 */
export const DEFAULT_DEPLOYMENT_TAGS: Readonly<Record<string, string>> = Object.freeze({
  Project: "osml-model-runner",
});

/** What the simulator hands the Cost Explorer handler. */
export interface CostExplorerContext {
  /** The usage to price. */
  ledger: UsageLedger;
  /** The simulator's clock, ms since the Unix epoch. */
  now: number;
  /** `ResultsByTime` entries per page (default {@linkcode COST_EXPLORER_PAGE_SIZE}). */
  pageSize?: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const QUANTITY_METRICS = ["UsageQuantity", "NormalizedUsageAmount"] as const;
const ALL_METRICS: readonly string[] = [...COST_METRICS, ...QUANTITY_METRICS];
const GROUP_DIMENSIONS = ["SERVICE", "USAGE_TYPE"] as const;
const FILTER_DIMENSIONS = ["SERVICE", "USAGE_TYPE"] as const;
const TAGGED_BY_DEFAULT: readonly string[] = [Services.SageMaker, Services.ECS];

type Granularity = "HOURLY" | "DAILY" | "MONTHLY";

/** One priced slice of usage: what a filter or a group looks at. */
interface UsageItem {
  service: string;
  usageType: string;
  tags: Readonly<Record<string, string>>;
  quantity: number;
  cost: number;
}

interface GroupDefinition {
  Type: "DIMENSION" | "TAG";
  Key: string;
}

interface Period {
  start: number;
  end: number;
}

/**
 * Answer one Cost Explorer operation. Returns the JSON 1.1 response body;
 * throws {@linkcode AwsError} for the errors listed in the module doc.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleCostExplorer } from "./cost_explorer.ts";
 * import { UsageLedger } from "./usage.ts";
 * const body = handleCostExplorer("GetCostAndUsage", {
 *   TimePeriod: { Start: "2030-01-01", End: "2030-01-03" },
 *   Granularity: "DAILY",
 *   Metrics: ["UnblendedCost"],
 *   GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
 * }, { ledger: new UsageLedger(), now: Date.UTC(2030, 0, 5) }) as { ResultsByTime: unknown[] };
 * assert.equal(body.ResultsByTime.length, 2); // one period a day
 * ```
 */
export function handleCostExplorer(
  operation: string,
  input: unknown,
  ctx: CostExplorerContext,
): unknown {
  if (operation === "GetCostAndUsage") return getCostAndUsage(input, ctx);
  throw new AwsError(
    400,
    "UnknownOperationException",
    `The simulator's Cost Explorer does not implement ${operation}; it answers GetCostAndUsage.`,
  );
}

function validation(message: string): AwsError {
  return new AwsError(400, "ValidationException", message);
}

function getCostAndUsage(input: unknown, ctx: CostExplorerContext): unknown {
  const request = asObject(input, "The request body");
  const granularity = parseGranularity(request["Granularity"]);
  const metrics = parseMetrics(request["Metrics"]);
  const window = parseTimePeriod(request["TimePeriod"], granularity);
  const groupBy = parseGroupBy(request["GroupBy"]);
  const filter = request["Filter"] === undefined ? undefined : parseExpression(request["Filter"]);

  if (window.start > ctx.now) {
    throw new AwsError(
      400,
      "DataUnavailableException",
      "Data is not available. Please try to adjust the time period. " +
        "Cost Explorer has no data yet for a period that starts in the future.",
    );
  }
  if (granularity === "HOURLY" && window.start < ctx.now - HOURLY_RETENTION_DAYS * DAY_MS) {
    throw validation(
      `Start date is more than ${HOURLY_RETENTION_DAYS} days ago for hourly granularity. ` +
        `Please adjust start date as we support only ${HOURLY_RETENTION_DAYS} days of data ` +
        "at hourly granularity.",
    );
  }

  const periods = splitPeriods(window, granularity);
  const pageSize = Math.max(1, Math.floor(ctx.pageSize ?? COST_EXPLORER_PAGE_SIZE));
  const fingerprint = hash(
    JSON.stringify([
      request["TimePeriod"],
      granularity,
      metrics,
      groupBy,
      request["Filter"] ?? null,
    ]),
  );
  const offset = parsePageToken(request["NextPageToken"], fingerprint, periods.length);
  const page = periods.slice(offset, offset + pageSize);

  const items = usageItems(ctx, page[0]?.start ?? window.start, page.at(-1)?.end ?? window.end);
  const resultsByTime = page.map((period) => {
    const inPeriod = items(period).filter((item) => !filter || filter(item));
    const result: Record<string, unknown> = {
      TimePeriod: {
        Start: formatBoundary(period.start, granularity),
        End: formatBoundary(period.end, granularity),
      },
    };
    if (groupBy.length === 0) {
      result["Total"] = metricValues(metrics, sum(inPeriod));
      result["Groups"] = [];
    } else {
      result["Total"] = {};
      result["Groups"] = groupItems(inPeriod, groupBy).map(([keys, items]) => ({
        Keys: keys,
        Metrics: metricValues(metrics, sum(items)),
      }));
    }
    result["Estimated"] = period.end > ctx.now - DAY_MS;
    return result;
  });

  const body: Record<string, unknown> = {};
  const next = offset + pageSize;
  if (next < periods.length) body["NextPageToken"] = makePageToken(next, fingerprint);
  if (groupBy.length > 0) body["GroupDefinitions"] = groupBy;
  body["ResultsByTime"] = resultsByTime;
  body["DimensionValueAttributes"] = [];
  return body;
}

// ---------------------------------------------------------------- input parsing

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw validation(`${what} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function asStringArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw validation(`${what} must be a list of strings.`);
  }
  return value as string[];
}

function parseGranularity(value: unknown): Granularity {
  if (value === undefined) return "DAILY";
  if (value === "HOURLY" || value === "DAILY" || value === "MONTHLY") return value;
  throw validation(
    `Granularity ${JSON.stringify(value)} is not valid: use HOURLY, DAILY or MONTHLY.`,
  );
}

function parseMetrics(value: unknown): string[] {
  if (value === undefined) throw validation('Metrics is required: pass e.g. ["BlendedCost"].');
  const metrics = asStringArray(value, "Metrics");
  if (metrics.length === 0) throw validation("Metrics must name at least one metric.");
  for (const metric of metrics) {
    if (!ALL_METRICS.includes(metric)) {
      throw validation(`Metric ${metric} is not valid: use one of ${ALL_METRICS.join(", ")}.`);
    }
  }
  return metrics;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

function parseBoundary(value: unknown, name: string, granularity: Granularity): number {
  const hourly = granularity === "HOURLY";
  const format = hourly ? "yyyy-MM-ddTHH:mm:ssZ" : "yyyy-MM-dd";
  const match = typeof value === "string" ? (hourly ? HOUR_RE : DATE_RE).exec(value) : null;
  if (!match) {
    throw validation(
      `${name} date ${JSON.stringify(value ?? null)} is not valid for ${granularity} ` +
        `granularity: use the format ${format}.`,
    );
  }
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h ?? 0, mi ?? 0, s ?? 0);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== y || back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d ||
    back.getUTCHours() !== (h ?? 0) || back.getUTCMinutes() !== (mi ?? 0)
  ) {
    throw validation(`${name} date ${JSON.stringify(value)} is not a real date and time.`);
  }
  return ms;
}

function parseTimePeriod(value: unknown, granularity: Granularity): Period {
  const period = asObject(value ?? null, "TimePeriod");
  const start = parseBoundary(period["Start"], "Start", granularity);
  const end = parseBoundary(period["End"], "End", granularity);
  if (start >= end) {
    throw validation("Start date (and hour) should be before end date (and hour)");
  }
  return { start, end };
}

function parseGroupBy(value: unknown): GroupDefinition[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw validation("GroupBy must be a list of group definitions.");
  if (value.length > 2) throw validation("GroupBy accepts at most two group definitions.");
  const groups = value.map((entry): GroupDefinition => {
    const group = asObject(entry, "A GroupBy entry");
    const type = group["Type"];
    const key = group["Key"];
    if (typeof key !== "string" || key === "") {
      throw validation("A GroupBy entry needs a Key.");
    }
    if (type === "DIMENSION") {
      if (!(GROUP_DIMENSIONS as readonly string[]).includes(key)) {
        throw validation(
          `Group by dimension ${key} is not supported by the simulator: use ` +
            `${GROUP_DIMENSIONS.join(" or ")}.`,
        );
      }
      return { Type: "DIMENSION", Key: key };
    }
    if (type === "TAG") return { Type: "TAG", Key: key };
    throw validation(`GroupBy Type ${JSON.stringify(type)} is not valid: use DIMENSION or TAG.`);
  });
  const seen = new Set(groups.map((g) => `${g.Type}:${g.Key}`));
  if (seen.size !== groups.length) throw validation("GroupBy entries must not repeat.");
  return groups;
}

type Predicate = (item: UsageItem) => boolean;

const EXPRESSION_KEYS = ["And", "Or", "Not", "Dimensions", "Tags", "CostCategories"];

function parseExpression(value: unknown): Predicate {
  const expression = asObject(value, "Filter");
  const present = EXPRESSION_KEYS.filter((key) => expression[key] !== undefined);
  if (present.length !== 1) {
    throw validation(
      "Expression must have exactly one of And, Or, Not, Dimensions, Tags, CostCategories " +
        `(got ${present.length === 0 ? "none" : present.join(", ")}).`,
    );
  }
  const key = present[0]!;
  const operand = expression[key];
  switch (key) {
    case "And":
    case "Or": {
      if (!Array.isArray(operand) || operand.length === 0) {
        throw validation(`${key} must be a non-empty list of expressions.`);
      }
      const parts = operand.map(parseExpression);
      return key === "And"
        ? (item) => parts.every((p) => p(item))
        : (item) => parts.some((p) => p(item));
    }
    case "Not": {
      const inner = parseExpression(operand);
      return (item) => !inner(item);
    }
    case "Dimensions": {
      const dims = asObject(operand, "Dimensions");
      const dimKey = dims["Key"];
      if (!(FILTER_DIMENSIONS as readonly string[]).includes(String(dimKey))) {
        throw validation(
          `Filter dimension ${JSON.stringify(dimKey ?? null)} is not supported by the ` +
            `simulator: use ${FILTER_DIMENSIONS.join(" or ")}.`,
        );
      }
      const match = valueMatcher(dims["Values"], dims["MatchOptions"], "Dimensions");
      return dimKey === "SERVICE" ? (item) => match(item.service) : (item) => match(item.usageType);
    }
    case "Tags": {
      const tags = asObject(operand, "Tags");
      const tagKey = tags["Key"];
      if (typeof tagKey !== "string" || tagKey === "") {
        throw validation("A Tags filter needs a Key (the cost-allocation tag's name).");
      }
      const options = tags["MatchOptions"] === undefined
        ? []
        : asStringArray(tags["MatchOptions"], "MatchOptions");
      if (options.includes("ABSENT")) return (item) => item.tags[tagKey] === undefined;
      const match = valueMatcher(tags["Values"] ?? [], tags["MatchOptions"], "Tags");
      return (item) => {
        const tagValue = item.tags[tagKey];
        return tagValue !== undefined && match(tagValue);
      };
    }
    default:
      throw validation("CostCategories filters are not supported by the simulator.");
  }
}

function valueMatcher(
  valuesIn: unknown,
  optionsIn: unknown,
  what: string,
): (value: string) => boolean {
  const values = asStringArray(valuesIn, `${what} Values`);
  const options = optionsIn === undefined ? [] : asStringArray(optionsIn, "MatchOptions");
  const known = [
    "EQUALS",
    "STARTS_WITH",
    "ENDS_WITH",
    "CONTAINS",
    "CASE_SENSITIVE",
    "CASE_INSENSITIVE",
  ];
  for (const option of options) {
    if (!known.includes(option)) {
      throw validation(`MatchOption ${option} is not supported here: use ${known.join(", ")}.`);
    }
  }
  const fold = options.includes("CASE_INSENSITIVE")
    ? (s: string) => s.toLowerCase()
    : (s: string) => s;
  const wanted = values.map(fold);
  const test = options.includes("STARTS_WITH")
    ? (v: string, w: string) => v.startsWith(w)
    : options.includes("ENDS_WITH")
    ? (v: string, w: string) => v.endsWith(w)
    : options.includes("CONTAINS")
    ? (v: string, w: string) => v.includes(w)
    : (v: string, w: string) => v === w;
  return (value) => {
    const v = fold(value);
    return wanted.some((w) => test(v, w));
  };
}

// ---------------------------------------------------------------- periods and tokens

function splitPeriods(window: Period, granularity: Granularity): Period[] {
  const periods: Period[] = [];
  if (granularity === "HOURLY") {
    const start = Math.floor(window.start / HOUR_MS) * HOUR_MS;
    const end = Math.ceil(window.end / HOUR_MS) * HOUR_MS;
    for (let t = start; t < end; t += HOUR_MS) periods.push({ start: t, end: t + HOUR_MS });
  } else if (granularity === "DAILY") {
    for (let t = window.start; t < window.end; t += DAY_MS) {
      periods.push({ start: t, end: Math.min(t + DAY_MS, window.end) });
    }
  } else {
    let t = window.start;
    while (t < window.end) {
      const d = new Date(t);
      const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      periods.push({ start: t, end: Math.min(next, window.end) });
      t = next;
    }
  }
  return periods;
}

function formatBoundary(ms: number, granularity: Granularity): string {
  const iso = new Date(ms).toISOString();
  return granularity === "HOURLY" ? `${iso.slice(0, 19)}Z` : iso.slice(0, 10);
}

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

function makePageToken(offset: number, fingerprint: string): string {
  return btoa(JSON.stringify({ o: offset, f: fingerprint }));
}

function parsePageToken(value: unknown, fingerprint: string, total: number): number {
  if (value === undefined || value === null || value === "") return 0;
  const invalid = () =>
    validation(
      "NextPageToken is not valid for this request: pass the token from the previous " +
        "response of the same query, unchanged.",
    );
  if (typeof value !== "string") throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(atob(value));
  } catch {
    throw invalid();
  }
  if (typeof decoded !== "object" || decoded === null) throw invalid();
  const { o, f } = decoded as { o?: unknown; f?: unknown };
  if (f !== fingerprint || typeof o !== "number" || !Number.isInteger(o) || o < 0 || o >= total) {
    throw invalid();
  }
  return o;
}

// ---------------------------------------------------------------- pricing the ledger

/** Items of usage between `from` and `to`, as a function of one period. */
function usageItems(
  ctx: CostExplorerContext,
  from: number,
  to: number,
): (period: Period) => UsageItem[] {
  const records = ctx.ledger.entries().filter((r) => r.hour >= from && r.hour < to);
  const resources = ctx.ledger.resources().filter((r) =>
    r.since < to && (r.until ?? ctx.now) > from
  );
  return (period) => {
    const items: UsageItem[] = [];
    for (const record of records) {
      if (record.hour < period.start || record.hour >= period.end) continue;
      items.push({
        service: record.service,
        usageType: record.usageType,
        tags: record.tags ?? {},
        quantity: record.quantity,
        cost: record.quantity * unitPrice(record.service, record.usageType),
      });
    }
    for (const resource of resources) {
      const end = Math.min(period.end, resource.until ?? ctx.now, ctx.now);
      const start = Math.max(period.start, resource.since);
      if (end <= start) continue;
      const quantity = resource.unitsPerHour * (end - start) / HOUR_MS;
      items.push({
        service: resource.service,
        usageType: resource.usageType,
        tags: resource.tags ??
          (TAGGED_BY_DEFAULT.includes(resource.service) ? DEFAULT_DEPLOYMENT_TAGS : {}),
        quantity,
        cost: quantity * unitPrice(resource.service, resource.usageType),
      });
    }
    return items;
  };
}

function sum(items: readonly UsageItem[]): { quantity: number; cost: number } {
  let quantity = 0;
  let cost = 0;
  for (const item of items) {
    quantity += item.quantity;
    cost += item.cost;
  }
  return { quantity, cost };
}

function groupKey(item: UsageItem, group: GroupDefinition): string {
  if (group.Type === "TAG") return `${group.Key}$${item.tags[group.Key] ?? ""}`;
  return group.Key === "SERVICE" ? item.service : item.usageType;
}

function groupItems(
  items: readonly UsageItem[],
  groupBy: readonly GroupDefinition[],
): [string[], UsageItem[]][] {
  const groups = new Map<string, [string[], UsageItem[]]>();
  for (const item of items) {
    const keys = groupBy.map((group) => groupKey(item, group));
    const id = JSON.stringify(keys);
    const existing = groups.get(id);
    if (existing) existing[1].push(item);
    else groups.set(id, [keys, [item]]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/**
 * A number as Cost Explorer writes amounts: a plain decimal string with at
 * most 10 decimals, no exponent, no trailing zeros.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { formatAmount } from "./cost_explorer.ts";
 * assert.equal(formatAmount(4e-7), "0.0000004");
 * assert.equal(formatAmount(1.104), "1.104");
 * assert.equal(formatAmount(0), "0");
 * ```
 */
export function formatAmount(value: number): string {
  const text = value.toFixed(10).replace(/\.?0+$/, "");
  return text === "-0" || text === "" ? "0" : text;
}

function metricValues(
  metrics: readonly string[],
  totals: { quantity: number; cost: number },
): Record<string, { Amount: string; Unit: string }> {
  const values: Record<string, { Amount: string; Unit: string }> = {};
  for (const metric of metrics) {
    values[metric] = (QUANTITY_METRICS as readonly string[]).includes(metric)
      ? { Amount: formatAmount(totals.quantity), Unit: "N/A" }
      : { Amount: formatAmount(totals.cost), Unit: "USD" };
  }
  return values;
}
