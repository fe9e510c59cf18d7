/**
 * The browser code's build and its pure parts: the committed bundle is what
 * `deno task build-frontend` makes from the TypeScript sources; the charts'
 * data keeps each kind of number on its own axis and unit (job latency in s
 * or min, an unknown backlog as a gap); the number formats; and the engine's
 * per-type windows that feed the charts (`Submit Image` apart from
 * `Job Complete`).
 */
import assert from "node:assert/strict";
import { buildFrontendModule, FRONTEND_MODULE, projectRoot } from "../scripts/build_frontend.ts";
import {
  chartData,
  type ChartPoint,
  jobLatencyUnit,
  TIMELINE_CHARTS,
} from "../mod/frontend/browser/chart_specs.ts";
import { compact, fmtInt, fmtMs } from "../mod/frontend/browser/format.ts";
import { RequestTypeWindow } from "../mod/engine/request_type_window.ts";
import { timelinePoint } from "../mod/engine/timeline_point.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { join } from "node:path";

function spec(id: string) {
  const found = TIMELINE_CHARTS.find((c) => c.id === id);
  if (!found) throw new Error(`no chart ${id}`);
  return found;
}

Deno.test("the committed browser bundle is up to date with mod/frontend/browser/ (run deno task build-frontend)", async () => {
  const built = await buildFrontendModule();
  const committed = await Deno.readTextFile(join(projectRoot(), FRONTEND_MODULE));
  assert.ok(
    built === committed,
    `${FRONTEND_MODULE} is stale: run deno task build-frontend and commit it`,
  );
  assert.ok(!/<\/script/i.test(committed), "safe to inline in a <script> element");
});

Deno.test("charts keep each kind of number apart: submissions in ms, jobs in s or min", () => {
  const points: ChartPoint[] = [
    { t: 1000, submitP50: 12, submitP95: 40, p50: 90_000, jobP50: null, jobP95: null },
    { t: 2000, submitP50: 14, submitP95: 44, p50: 95_000, jobP50: 30_000, jobP95: 60_000 },
  ];
  const submit = chartData(spec("chart-submit-latency"), points);
  assert.equal(submit.unit, "ms");
  assert.deepEqual(submit.data[1], [12, 14], "Submit Image's own median, not Aggregated's");
  const seconds = chartData(spec("chart-job-latency"), points);
  assert.equal(seconds.unit, "s");
  assert.deepEqual(seconds.data[1], [null, 30]);
  assert.deepEqual(seconds.data[2], [null, 60]);
  points.push({ t: 3000, jobP50: 200_000, jobP95: 420_000 });
  const minutes = chartData(spec("chart-job-latency"), points);
  assert.equal(minutes.unit, "min");
  assert.deepEqual(minutes.data[2], [null, 1, 7]);
  assert.equal(jobLatencyUnit([]).unit, "s");
  // No chart mixes milliseconds with jobs: latency charts hold only their own type's numbers.
  for (const chart of TIMELINE_CHARTS) {
    const labels = chart.series.map((s) => s.label).join(",");
    if (chart.id === "chart-submit-latency") assert.equal(labels, "Median,95%ile,99%ile");
  }
});

Deno.test("charts: the backlog has its own axis and an unknown backlog is a gap, never 0", () => {
  const model = chartData(spec("chart-backlog"), [
    { t: 1000, jobsInFlight: 3, queueDepth: 10 },
    { t: 2000, jobsInFlight: 4 },
    { t: 3000, jobsInFlight: 5, queueDepth: null as unknown as number },
    { t: 4000, jobsInFlight: 6, queueDepth: 0 },
  ]);
  assert.deepEqual(model.data[2], [10, null, null, 0]);
  assert.equal(model.series[1]?.right, true, "its own (right) axis");
  assert.equal(model.series[1]?.spanGaps, false, "drawn with gaps");
  assert.equal(model.rightUnit, "messages");
});

Deno.test("charts: the target rate appears only in the open model; x is in seconds", () => {
  const closed = chartData(spec("chart-submissions"), [{ t: 5000, submitRps: 2, submitFps: 0 }]);
  assert.deepEqual(closed.series.map((s) => s.label), ["Submissions/s", "Failures/s"]);
  assert.deepEqual(closed.data[0], [5]);
  const open = chartData(spec("chart-submissions"), [{ t: 5000, submitRps: 2, targetRate: 2 }]);
  assert.deepEqual(open.series.map((s) => s.label), [
    "Submissions/s",
    "Failures/s",
    "Target rate/s",
  ]);
  const volume = chartData(spec("chart-volume"), [{
    t: 0,
    gbProcessed: 1.5,
    pixelsProcessed: 3e9,
  }]);
  assert.deepEqual(volume.data.slice(1), [[1.5], [3]]);
});

Deno.test("number formats: short axis labels, unknown shown as –", () => {
  assert.deepEqual(
    [0, 0.25, 7, 950, 1000, 1500, 25_000, 1_200_000, 3.4e9].map(compact),
    ["0", "0.25", "7", "950", "1k", "1.5k", "25k", "1.2M", "3.4G"],
  );
  assert.equal(fmtInt(null), "–");
  assert.equal(fmtMs(null), "–");
  assert.equal(fmtInt(1234567), "1,234,567");
});

Deno.test("per-type windows: Submit Image percentiles over ~10 s, Job Complete over 60 s, reset starts over", () => {
  const stats = new StatsAggregator(0);
  const submit = new RequestTypeWindow("Submit Image", 10);
  const job = new RequestTypeWindow("Job Complete", 60);
  const at = (s: number) => s * 1000;
  for (let s = 0; s < 30; s++) {
    // Sends are fast until second 20, then slow; one job a second takes 2 minutes.
    stats.record({
      type: "Submit Image",
      name: `i${s % 3}.tif:m`,
      responseTimeMs: s < 20 ? 10 : 500,
      length: 1,
      at: at(s) + 500,
    });
    if (s < 5) {
      stats.record({
        type: "Job Complete",
        name: "i0.tif:m",
        responseTimeMs: 120_000,
        length: 1,
        at: at(s) + 600,
      });
    }
    const [p50] = submit.percentiles(stats, at(s + 1), [0.5]);
    const [j50] = job.percentiles(stats, at(s + 1), [0.5]);
    if (s === 15) assert.equal(p50, 10);
    if (s === 29) assert.equal(p50, 500, "the window forgets the fast sends");
    if (s === 29) assert.equal(j50, 120_000, "a job that ended 25 s ago is in the 60 s window");
  }
  for (let s = 30; s < 70; s++) {
    const [j50] = job.percentiles(stats, at(s + 1), [0.5]);
    if (s === 69) assert.equal(j50, null, "no job ended in the last 60 s: unknown, not 0");
  }
  stats.reset(at(70));
  stats.record({
    type: "Submit Image",
    name: "x.tif:m",
    responseTimeMs: 77,
    length: 1,
    at: at(71),
  });
  const [after] = submit.percentiles(stats, at(72), [0.5]);
  assert.equal(after, 77, "after a reset only new requests count");
});

Deno.test("timeline points carry Submit Image and Job Complete numbers apart from Aggregated", () => {
  const stats = new StatsAggregator(0);
  for (let s = 0; s < 15; s++) {
    stats.record({
      type: "Submit Image",
      name: "a.tif:m",
      responseTimeMs: 20,
      length: 1,
      at: s * 1000,
    });
    stats.record({
      type: "Job Complete",
      name: "a.tif:m",
      responseTimeMs: 90_000,
      length: 1,
      at: s * 1000 + 1,
    });
  }
  const jobs = {
    total_image_sent: 15,
    total_image_in_progress: 0,
    total_image_processed: 15,
    total_image_succeeded: 15,
    total_image_failed: 0,
    total_gb_processed: 0,
    total_pixels_processed: 0,
    total_image_partial: 0,
    total_image_timed_out: 0,
  };
  const point = timelinePoint(15_000, {
    stats,
    jobs,
    users: 1,
    queueDepth: undefined,
    targetRate: undefined,
  });
  assert.equal(point.submitRps, 1);
  assert.equal(point.rps, 2, "Aggregated counts sends and completions");
  assert.equal(point.submitP50, 20);
  assert.equal(point.jobP50, 90_000);
  assert.equal(point.jobP95, 90_000);
});
