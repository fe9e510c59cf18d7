/**
 * The HTML report's charts: the same charts as the live page (from
 * `chart_specs.ts`), drawn from the data the report embeds as JSON, plus the
 * capacity search's charts when the run was one.
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { startReport } from "./report_app.ts";
 * startReport();
 * ```
 * @module
 */
import type { CapacityStep, ReportData } from "../wire.ts";
import { type ChartData, chartData, jobLatencyUnit, TIMELINE_CHARTS } from "./chart_specs.ts";
import { Chart } from "./charts.ts";
import { byId, el } from "./dom.ts";

function figure(box: HTMLElement, id: string, title: string, model?: ChartData): HTMLElement {
  const fig = el("figure", null, "chart");
  fig.id = id;
  if (model) {
    fig.dataset.unit = model.unit;
    if (model.rightUnit) fig.dataset.rightUnit = model.rightUnit;
  }
  const plot = el("div", null, "plot");
  fig.append(el("figcaption", title), plot);
  box.append(fig);
  return plot;
}

/**
 * The capacity search's charts: target and achieved rate per step; job
 * latency p95 per step with the backlog at the step's end on its own axis.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { strict as assert } from "node:assert";
 * import { capacityCharts } from "./report_app.ts";
 * assert.deepEqual(capacityCharts([]).map(([id]) => id), ["chart-capacity-rate", "chart-capacity-latency"]);
 * ```
 */
export function capacityCharts(steps: readonly CapacityStep[]): [string, string, ChartData][] {
  const x = steps.map((s) => s.step);
  const latency = jobLatencyUnit(steps.map((s) => ({ t: 0, jobP95: s.latencyP95Ms })));
  return [
    ["chart-capacity-rate", "Capacity search: rate per step (jobs/s)", {
      data: [x, steps.map((s) => s.targetRate), steps.map((s) => s.achievedRate)],
      series: [
        { label: "Target", color: "#ef6c00", spanGaps: true, points: true },
        { label: "Achieved", color: "#2e7d32", spanGaps: true, points: true },
      ],
      unit: "jobs/s",
      rightUnit: undefined,
      time: false,
      xLabel: "step",
    }],
    ["chart-capacity-latency", "Capacity search: job latency p95 and backlog per step", {
      data: [
        x,
        steps.map((s) => s.latencyP95Ms === null ? null : s.latencyP95Ms / latency.divisor),
        steps.map((s) => typeof s.backlogEnd === "number" ? s.backlogEnd : null),
      ],
      series: [
        { label: "Job p95", color: "#1f6feb", spanGaps: true, points: true },
        {
          label: "Backlog at end",
          color: "#455a64",
          right: true,
          spanGaps: false,
          points: true,
        },
      ],
      unit: latency.unit,
      rightUnit: "messages",
      time: false,
      xLabel: "step",
    }],
  ];
}

/**
 * Draw the report's charts into `#charts` from the JSON in `#report-data`.
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { startReport } from "./report_app.ts";
 * startReport();
 * ```
 */
export function startReport(): void {
  const data = JSON.parse(byId("report-data").textContent ?? "{}") as ReportData;
  const box = byId("charts");
  for (const spec of TIMELINE_CHARTS) {
    const model = chartData(spec, data.timeline);
    const plot = figure(box, spec.id, spec.title, model);
    if (data.timeline.length === 0) plot.textContent = "No data.";
    else new Chart(plot, model);
  }
  if (data.capacity.length > 0) {
    for (const [id, title, model] of capacityCharts(data.capacity)) {
      new Chart(figure(box, id, title, model), model);
    }
  }
}
