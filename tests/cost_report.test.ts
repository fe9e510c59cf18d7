// The cost report's pure parts: Python rounding, summary times, figures, table, JSON, CSV.
import assert from "node:assert/strict";
import { computeCostReport, type CostReport } from "../mod/cost/cost_report.ts";
import { formatCostCsv } from "../mod/cost/cost_report_csv.ts";
import { formatCostJson } from "../mod/cost/cost_report_json.ts";
import { formatCostTable } from "../mod/cost/cost_table.ts";
import { parseJobSummary, readJobSummary } from "../mod/cost/job_summary.ts";
import { pythonFixed, pythonRound } from "../mod/stats/python_format.ts";
import { costExplorerTimePeriod, costFilter } from "../mod/cost/query_costs.ts";
import { parseTag } from "../mod/commands/cost.ts";
import {
  parseSummaryTime,
  pythonIsoformat,
  secondsBetween,
  type SummaryTime,
} from "../mod/cost/summary_time.ts";
import { UsageError } from "../mod/usage_error.ts";

function time(text: string): SummaryTime {
  const parsed = parseSummaryTime(text);
  if (!parsed) throw new Error(`test setup: ${text} did not parse`);
  return parsed;
}

Deno.test("pythonRound/pythonFixed round like Python: exact binary value, ties to even", () => {
  assert.equal(pythonRound(0.125, 2), 0.12);
  assert.equal(pythonRound(0.375, 2), 0.38);
  assert.equal(pythonRound(2.5, 0), 2);
  assert.equal(pythonRound(3.5, 0), 4);
  assert.equal(pythonRound(2.675, 2), 2.67); // 2.67499999…
  assert.equal(pythonRound(10.005, 2), 10.01); // 10.00500000…08
  assert.equal(pythonFixed(0.5, 0), "0");
  assert.equal(pythonFixed(1.5, 0), "2");
  assert.equal(pythonFixed(0, 4), "0.0000");
  assert.equal(pythonFixed(81.05, 1), "81.0"); // 81.0499999…
  assert.equal(pythonFixed(-0.001, 2), "-0.00");
});

Deno.test("summary times: offset and Z are instants, naive is local time, microseconds kept", () => {
  const z = time("2025-12-09T10:44:51Z");
  assert.equal(z.epochMs, Date.UTC(2025, 11, 9, 10, 44, 51));
  assert.equal(z.naive, false);
  const offset = time("2025-12-09T12:44:51.123456+02:00");
  assert.equal(offset.epochMs, Date.UTC(2025, 11, 9, 10, 44, 51));
  assert.equal(offset.micros, 123456);
  assert.equal(pythonIsoformat(offset), "2025-12-09T12:44:51.123456+02:00");
  assert.equal(pythonIsoformat(z), "2025-12-09T10:44:51+00:00");
  const naive = time("2025-12-09T10:44:51.5");
  assert.equal(naive.naive, true);
  assert.equal(naive.epochMs, new Date(2025, 11, 9, 10, 44, 51).getTime());
  assert.equal(naive.micros, 500000);
  assert.equal(naive.offsetMinutes, -new Date(2025, 11, 9, 10, 44, 51).getTimezoneOffset());
  assert.equal(time("2025-12-09 10:44").epochMs, new Date(2025, 11, 9, 10, 44).getTime());
  assert.equal(
    secondsBetween(time("2025-01-01T00:00:00.75Z"), time("2025-01-01T01:00:00.25Z")),
    3599.5,
  );
  for (const bad of ["", "yesterday", "2025-13-01T00:00:00", "2025-02-30", "12/09/2025/10:44:51"]) {
    assert.equal(parseSummaryTime(bad), undefined, bad);
  }
});

Deno.test("Cost Explorer time periods: HOURLY End = stop + 1 s in UTC, DAILY UTC dates", () => {
  const start = time("2025-12-09T10:44:51.9+02:00");
  const stop = time("2025-12-09T23:59:59.5+00:00");
  assert.deepEqual(costExplorerTimePeriod(start, stop, "HOURLY"), {
    Start: "2025-12-09T08:44:51Z",
    End: "2025-12-10T00:00:00Z",
  });
  assert.deepEqual(costExplorerTimePeriod(start, stop, "DAILY"), {
    Start: "2025-12-09",
    End: "2025-12-10",
  });
});

Deno.test("filters from --service and --tag", () => {
  assert.equal(costFilter([], []), undefined);
  assert.deepEqual(costFilter(["Amazon SageMaker"], []), {
    Dimensions: { Key: "SERVICE", Values: ["Amazon SageMaker"], MatchOptions: ["EQUALS"] },
  });
  assert.deepEqual(
    costFilter(["A", "A"], [{ key: "Project", value: "x" }, { key: "Project", value: "y" }]),
    {
      And: [
        { Dimensions: { Key: "SERVICE", Values: ["A"], MatchOptions: ["EQUALS"] } },
        { Tags: { Key: "Project", Values: ["x", "y"], MatchOptions: ["EQUALS"] } },
      ],
    },
  );
  assert.deepEqual(parseTag("Project=osml=1"), { key: "Project", value: "osml=1" });
  assert.throws(() => parseTag("Project"), UsageError);
  assert.throws(() => parseTag("=x"), /KEY=VALUE/);
});

Deno.test("job summaries: counters default to 0, bad values and bad times are usage errors", async () => {
  const summary = parseJobSummary({
    total_image_sent: 5,
    total_gb_processed: 1.5,
    start_time: "2025-12-09T10:44:51",
  }, "s.json");
  assert.equal(summary.imagesSent, 5);
  assert.equal(summary.imagesProcessed, 0);
  assert.equal(summary.gbProcessed, 1.5);
  assert.equal(summary.start?.naive, true);
  assert.equal(summary.stop, undefined);
  assert.throws(() => parseJobSummary([], "s.json"), /no JSON object/);
  assert.throws(() => parseJobSummary({ total_image_sent: "5" }, "s.json"), /not a number/);
  assert.throws(() => parseJobSummary({ start_time: "noon" }, "s.json"), /not an ISO-8601/);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.json`, "{ nope");
    await assert.rejects(() => readJobSummary(`${dir}/bad.json`), /not valid JSON/);
    await assert.rejects(() => readJobSummary(`${dir}/missing.json`), /no such file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const SAMPLE_INPUT = {
  start: time("2025-12-09T10:00:00+00:00"),
  stop: time("2025-12-09T12:30:00+00:00"),
  imagesSent: 100,
  imagesProcessed: 95,
  imagesSucceeded: 90,
  gbProcessed: 2.4501953125,
  pixelsProcessed: 1_048_576_000,
};
const SAMPLE_COSTS = {
  total: 12.3456,
  byService: new Map([
    ["Amazon Simple Queue Service", 0.0406],
    ["Amazon SageMaker", 10.005],
    ["Amazon Elastic Container Service", 2.3],
    ["Amazon Simple Storage Service", 0.0000001],
    ["AmazonCloudWatch", 0.004],
  ]),
};

// Expected values produced by upstream's own Python code (generate_report / print_report).
const EXPECTED_REPORT: CostReport = {
  load_test_summary: {
    start_time: "2025-12-09T10:00:00+00:00",
    stop_time: "2025-12-09T12:30:00+00:00",
    duration_hours: 2.5,
    total_images_sent: 100,
    total_images_processed: 95,
    total_images_succeeded: 90,
    total_gb_processed: 2.4501953125,
    total_pixels_processed: 1048576000,
    gigapixels_processed: 1.049,
  },
  cost_summary: {
    total_cost_usd: 12.35,
    cost_per_hour: 4.94,
    cost_per_image: 0.13,
    cost_per_gb: 5.04,
    cost_per_gigapixel: 11.7737,
  },
  costs_by_service: {
    "Amazon SageMaker": 10.01,
    "Amazon Elastic Container Service": 2.3,
    "Amazon Simple Queue Service": 0.04,
    "AmazonCloudWatch": 0,
    "Amazon Simple Storage Service": 0,
  },
  time_period: { start: "2025-12-09T10:00:00+00:00", end: "2025-12-09T12:30:00+00:00" },
};

const EXPECTED_TABLE = `
================================================================================
LOAD TEST COST REPORT
================================================================================

Test Period:
  Start Time: 2025-12-09T10:00:00+00:00
  Stop Time:  2025-12-09T12:30:00+00:00
  Duration:   2.50 hours

Test Metrics:
  Images Sent:           100
  Images Processed:      95
  Images Succeeded:      90
  GB Processed:          2.45
  Gigapixels Processed:  1.049

Cost Summary:
  Total Cost:            $12.35
  Cost per Hour:         $4.94
  Cost per Image:        $0.1300
  Cost per GB:           $5.04
  Cost per Gigapixel:    $11.7737

Costs by Service:
  Amazon SageMaker                              $10.01 ( 81.1%)
  Amazon Elastic Container Service              $2.30 ( 18.6%)
  Amazon Simple Queue Service                   $0.04 (  0.3%)
================================================================================

`;

Deno.test("report figures, rounding and service order match upstream", () => {
  const report = computeCostReport(SAMPLE_INPUT, SAMPLE_COSTS);
  assert.deepEqual(report, EXPECTED_REPORT);
  assert.deepEqual(Object.keys(report), [
    "load_test_summary",
    "cost_summary",
    "costs_by_service",
    "time_period",
  ]);
  assert.deepEqual(
    Object.keys(report.costs_by_service),
    Object.keys(EXPECTED_REPORT.costs_by_service),
  );
});

Deno.test("report: zero denominators give 0, divisions use the unrounded total", () => {
  const t = time("2025-12-09T10:00:00Z");
  const zero = computeCostReport(
    {
      start: t,
      stop: t,
      imagesSent: 0,
      imagesProcessed: 0,
      imagesSucceeded: 0,
      gbProcessed: 0,
      pixelsProcessed: 0,
    },
    { total: 0.004, byService: new Map() },
  );
  assert.deepEqual(zero.cost_summary, {
    total_cost_usd: 0,
    cost_per_hour: 0,
    cost_per_image: 0,
    cost_per_gb: 0,
    cost_per_gigapixel: 0,
  });
  const unrounded = computeCostReport(
    { ...SAMPLE_INPUT, imagesProcessed: 1, gbProcessed: 0.001, pixelsProcessed: 1e6 },
    { total: 0.004, byService: new Map() },
  );
  assert.equal(unrounded.cost_summary.total_cost_usd, 0);
  assert.equal(unrounded.cost_summary.cost_per_image, 0.004);
  assert.equal(unrounded.cost_summary.cost_per_gb, 4);
  assert.equal(unrounded.cost_summary.cost_per_gigapixel, 4);
});

Deno.test("console table is upstream's layout character for character", () => {
  assert.equal(formatCostTable(EXPECTED_REPORT), EXPECTED_TABLE);
  const empty = formatCostTable({ ...EXPECTED_REPORT, costs_by_service: {} });
  assert.match(empty, /Costs by Service:\n={80}\n\n$/);
});

Deno.test("JSON keeps upstream's keys indented by 2; CSV lists services then the total", () => {
  const json = formatCostJson(EXPECTED_REPORT);
  assert.ok(json.startsWith('{\n  "load_test_summary": {\n    "start_time"'));
  assert.deepEqual(JSON.parse(json), EXPECTED_REPORT);
  assert.equal(
    formatCostCsv(EXPECTED_REPORT),
    "service,cost_usd\nAmazon SageMaker,10.01\nAmazon Elastic Container Service,2.30\n" +
      "Amazon Simple Queue Service,0.04\nAmazonCloudWatch,0.00\nAmazon Simple Storage Service,0.00\n" +
      "Total,12.35\n",
  );
});
