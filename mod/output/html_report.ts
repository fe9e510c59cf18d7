/**
 * `--html FILE`: one self-contained HTML report (uPlot's JS and CSS inlined,
 * a Content-Security-Policy that forbids any network access): the run's
 * configuration, the Locust stats table, failures, exceptions, job
 * statistics, and charts over time (requests/s and failures/s, response-time
 * percentiles, users, jobs in flight, jobs completed by status, GB and pixels
 * processed, queue backlog) plus a capacity chart for capacity searches.
 *
 * Every string from outside (entry names, errors, configuration values) is
 * HTML-escaped; chart data is embedded as JSON in a
 * `<script type="application/json">` with `<` escaped.
 *
 * @example
 * ```ts
 * import { createHtmlReportOutput } from "./html_report.ts";
 * const output = createHtmlReportOutput({ path: "out/report.html" });
 * output.name; // "html"
 * ```
 * @module
 */

import uplotJs from "uplot/dist/uPlot.iife.min.js" with { type: "text" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import type { StatsEntry } from "../stats/aggregator.ts";
import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import { formatUtcTimestamp } from "./locust_csv.ts";
import type { Output, OutputContext } from "./output.ts";
import type { JobStatistics } from "./run_report.ts";

/**
 * Escape text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./html_report.ts";
 * escapeHtml("<img src=x>"); // "&lt;img src=x&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * JSON safe to embed in a `<script type="application/json">` element.
 *
 * @example
 * ```ts
 * import { jsonForScript } from "./html_report.ts";
 * jsonForScript({ a: "</script>" }); // '{"a":"\\u003c/script>"}'
 * ```
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function num(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  id: string,
): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.length === 0
    ? `<tr><td colspan="${headers.length}" class="empty">None</td></tr>`
    : rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function statsRow(e: StatsEntry): string[] {
  const has = e.numRequests > 0;
  const pct = (p: number) => (has ? String(e.percentile(p)) : "N/A");
  return [
    escapeHtml(e.type),
    escapeHtml(e.name),
    String(e.numRequests),
    String(e.numFailures),
    num(e.medianResponseTime, 0),
    pct(0.9),
    pct(0.95),
    pct(0.99),
    num(e.avgResponseTime),
    num(e.minResponseTime ?? 0),
    num(e.maxResponseTime),
    num(e.avgContentLength, 0),
    num(e.totalRps),
    num(e.totalFailPerSec),
  ];
}

const JOB_LABELS: readonly (readonly [keyof JobStatistics, string])[] = [
  ["total_image_sent", "Images sent"],
  ["total_image_in_progress", "Images in progress"],
  ["total_image_processed", "Images processed"],
  ["total_image_succeeded", "Images succeeded"],
  ["total_image_failed", "Images failed (FAILED + PARTIAL)"],
  ["total_image_partial", "Images partial"],
  ["total_image_timed_out", "Images timed out"],
  ["total_gb_processed", "GB processed"],
  ["total_pixels_processed", "Pixels processed"],
];

/**
 * Render the whole report as one HTML string.
 *
 * @example
 * ```ts
 * import { renderHtmlReport } from "./html_report.ts";
 * // const html = renderHtmlReport(ctx); await Deno.writeTextFile("report.html", html);
 * ```
 */
export function renderHtmlReport(ctx: OutputContext): string {
  const stats = ctx.stats;
  const stopped = ctx.stoppedAt();
  const jobs = ctx.jobs();
  const timeline = ctx.timeline();
  const capacity = ctx.capacity?.() ?? [];
  const iso = (ms: number) => new Date(ms).toISOString();
  const duration = ((stopped ?? Date.now()) - ctx.startedAt) / 1000;

  const configRows = ctx.configuration.map(([k, v]) => [escapeHtml(k), escapeHtml(v)]);
  const statsRows = [...stats.entries().map(statsRow), statsRow(stats.total)];
  const failureRows = stats.sortedFailures().map((f) => [
    escapeHtml(f.method),
    escapeHtml(f.name),
    escapeHtml(f.error),
    String(f.occurrences),
    formatUtcTimestamp(f.firstSeen),
    formatUtcTimestamp(f.lastSeen),
  ]);
  const exceptionRows = stats.exceptions().map((e) => [
    String(e.count),
    escapeHtml(e.message),
    `<pre>${escapeHtml(e.traceback)}</pre>`,
    escapeHtml(e.nodes.join(", ")),
  ]);
  const jobRows = JOB_LABELS.map(([key, label]) => [escapeHtml(label), num(jobs[key], 4)]);
  const capacityRows = capacity.map((s) => [
    String(s.step),
    num(s.targetRate, 3),
    num(s.achievedRate, 3),
    String(s.backlogStart),
    String(s.backlogEnd),
    s.latencyP95Ms === null ? "N/A" : num(s.latencyP95Ms, 0),
    num(s.failRatio, 4),
    escapeHtml(s.verdict),
  ]);

  const data = {
    timeline: {
      t: timeline.map((p) => p.t / 1000),
      users: timeline.map((p) => p.users),
      rps: timeline.map((p) => p.rps),
      fps: timeline.map((p) => p.fps),
      targetRate: timeline.map((p) => p.targetRate ?? null),
      p50: timeline.map((p) => p.p50),
      p95: timeline.map((p) => p.p95),
      p99: timeline.map((p) => p.p99),
      jobsInFlight: timeline.map((p) => p.jobsInFlight),
      jobsSucceeded: timeline.map((p) => p.jobsSucceeded),
      jobsFailed: timeline.map((p) => p.jobsFailed),
      jobsPartial: timeline.map((p) => p.jobsPartial),
      jobsTimedOut: timeline.map((p) => p.jobsTimedOut),
      gbProcessed: timeline.map((p) => p.gbProcessed),
      pixelsProcessed: timeline.map((p) => p.pixelsProcessed),
      queueDepth: timeline.map((p) => p.queueDepth ?? null),
    },
    capacity: {
      step: capacity.map((s) => s.step),
      targetRate: capacity.map((s) => s.targetRate),
      achievedRate: capacity.map((s) => s.achievedRate),
      backlogEnd: capacity.map((s) => s.backlogEnd),
      latencyP95Ms: capacity.map((s) => s.latencyP95Ms),
    },
  };

  const charts = [
    ["chart-rps", "Requests/s and failures/s"],
    ["chart-latency", "Response time percentiles, all requests (ms, last ~10 s)"],
    ["chart-users", "Users"],
    ["chart-inflight", "Jobs in flight"],
    ["chart-jobs", "Jobs completed by status"],
    ["chart-volume", "GB and pixels processed"],
    ["chart-backlog", "Request-queue backlog"],
    ...(capacity.length > 0
      ? [["chart-capacity", "Capacity search: rates, backlog and p95 per step"]]
      : []),
  ].map(([id, title]) =>
    `<section class="chart"><h3>${escapeHtml(title ?? "")}</h3><div id="${id}"></div></section>`
  )
    .join("\n");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>osml-load report ${escapeHtml(iso(ctx.startedAt))}</title>
<style>${uplotCss}</style>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d232a; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccd; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eef1f5; } td.empty { color: #778; font-style: italic; }
tbody tr:last-child td { font-weight: 600; }
#failures tbody tr:last-child td, #exceptions tbody tr:last-child td, #configuration tbody tr:last-child td,
#jobs tbody tr:last-child td, #capacity tbody tr:last-child td { font-weight: normal; }
pre { margin: 0; white-space: pre-wrap; font-size: 0.8rem; }
.chart { display: inline-block; vertical-align: top; margin: 0 1rem 1rem 0; }
.chart h3 { font-size: 1rem; margin: 0.5rem 0; }
</style>
</head>
<body>
<h1>osml-load report</h1>
<p>Started <time>${escapeHtml(iso(ctx.startedAt))}</time>${
    stopped === undefined
      ? " (still running)"
      : `, stopped <time>${escapeHtml(iso(stopped))}</time>`
  }; ${escapeHtml(num(duration, 1))} s; ${ctx.userCount()} users at the end.</p>

<h2>Configuration</h2>
${table(["Setting", "Value"], configRows, "configuration")}

<h2>Job statistics</h2>
${table(["Measure", "Value"], jobRows, "jobs")}

<h2>Request statistics</h2>
${
    table(
      [
        "Type",
        "Name",
        "# Requests",
        "# Fails",
        "Median (ms)",
        "90%ile (ms)",
        "95%ile (ms)",
        "99%ile (ms)",
        "Average (ms)",
        "Min (ms)",
        "Max (ms)",
        "Average size (bytes)",
        "RPS",
        "Failures/s",
      ],
      statsRows,
      "stats",
    )
  }

<h2>Failures</h2>
${
    table(
      ["Method", "Name", "Error", "Occurrences", "First seen", "Last seen"],
      failureRows,
      "failures",
    )
  }

<h2>Exceptions</h2>
${table(["Count", "Message", "Traceback", "Nodes"], exceptionRows, "exceptions")}
${
    capacity.length > 0
      ? `
<h2>Capacity search</h2>
${
        table(
          [
            "Step",
            "Target rate (jobs/s)",
            "Achieved rate (jobs/s)",
            "Backlog start",
            "Backlog end",
            "Job p95 (ms)",
            "Fail ratio",
            "Verdict",
          ],
          capacityRows,
          "capacity",
        )
      }`
      : ""
  }

<h2>Charts</h2>
${charts}

<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${uplotJs}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

/** Builds the charts from the embedded JSON; runs in the browser. */
const CHART_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var tl = data.timeline;
  var colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];
  function chart(id, xs, series, opts) {
    var el = document.getElementById(id);
    if (!el) return;
    if (xs.length === 0) { el.textContent = "No data."; return; }
    var s = [{}].concat(series.map(function (d, i) {
      return { label: d.label, stroke: colors[i % colors.length], width: 2, scale: d.scale || "y", spanGaps: true };
    }));
    var axes = [{}, { scale: "y" }];
    if (series.some(function (d) { return d.scale === "y2"; })) axes.push({ scale: "y2", side: 1, grid: { show: false } });
    var o = { width: 560, height: 260, series: s, axes: axes, scales: { x: { time: !(opts && opts.notTime) } } };
    if (opts && opts.notTime) o.axes[0] = { label: opts.xLabel || "" };
    new uPlot(o, [xs].concat(series.map(function (d) { return d.values; })), el);
  }
  chart("chart-rps", tl.t, [
    { label: "requests/s", values: tl.rps },
    { label: "failures/s", values: tl.fps },
  ].concat(tl.targetRate.some(function (v) { return v !== null; }) ? [{ label: "target rate", values: tl.targetRate }] : []));
  chart("chart-latency", tl.t, [
    { label: "p50", values: tl.p50 }, { label: "p95", values: tl.p95 }, { label: "p99", values: tl.p99 },
  ]);
  chart("chart-users", tl.t, [{ label: "users", values: tl.users }]);
  chart("chart-inflight", tl.t, [{ label: "jobs in flight", values: tl.jobsInFlight }]);
  chart("chart-jobs", tl.t, [
    { label: "succeeded", values: tl.jobsSucceeded }, { label: "failed", values: tl.jobsFailed },
    { label: "partial", values: tl.jobsPartial }, { label: "timed out", values: tl.jobsTimedOut },
  ]);
  chart("chart-volume", tl.t, [
    { label: "GB", values: tl.gbProcessed }, { label: "pixels", values: tl.pixelsProcessed, scale: "y2" },
  ]);
  chart("chart-backlog", tl.t, [{ label: "queue backlog", values: tl.queueDepth }]);
  var cap = data.capacity;
  if (cap.step.length > 0) {
    chart("chart-capacity", cap.step, [
      { label: "target rate", values: cap.targetRate }, { label: "achieved rate", values: cap.achievedRate },
      { label: "backlog", values: cap.backlogEnd, scale: "y2" }, { label: "p95 (ms)", values: cap.latencyP95Ms, scale: "y2" },
    ], { notTime: true, xLabel: "step" });
  }
})();
`;

/**
 * The `--html FILE` output: renders and writes the report atomically at finish
 * (also after Ctrl-C, when the engine calls `finish`).
 *
 * @example
 * ```ts
 * import { createHtmlReportOutput } from "./html_report.ts";
 * const output = createHtmlReportOutput({ path: "report.html" });
 * ```
 */
export function createHtmlReportOutput(options: { path: string }): Output {
  return {
    name: "html",
    async finish(ctx: OutputContext) {
      await writeTextFileAtomic(options.path, renderHtmlReport(ctx));
    },
  };
}
