/**
 * `--html FILE`: one self-contained HTML report (the web UI's browser bundle,
 * uPlot included, and uPlot's CSS inlined; a Content-Security-Policy that
 * forbids any network access): at the top the thresholds, red or green; then
 * the run's configuration, job statistics, the Locust stats table, failures,
 * exceptions, and the web UI's charts, one per kind of number
 * (submissions/s, submission latency in ms, job latency in s or min,
 * completions by status, jobs in flight with the backlog on its own axis,
 * users, volume), plus the capacity search's charts when the run was one.
 *
 * Every string from outside (entry names, errors, configuration values) is
 * HTML-escaped; chart data is embedded as JSON in a
 * `<script type="application/json">` with `<` escaped.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { createHtmlReportOutput } from "./html_report.ts";
 * const output = createHtmlReportOutput({ path: "out/report.html" });
 * assert.equal(output.name, "html");
 * ```
 * @module
 */

import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import type { StatsEntry } from "../stats/aggregator.ts";
import type { ThresholdResult } from "../stats/thresholds.ts";
import { FRONTEND_JS } from "../frontend/frontend_bundle.ts";
import type { ReportData } from "../frontend/wire.ts";
import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import { formatUtcTimestamp } from "./locust_csv.ts";
import type { Output, OutputContext } from "./output.ts";
import type { JobStatistics, JobStatisticsExtra, TimelinePoint } from "../model/run_report.ts";

/** Most timeline points the report embeds; longer runs are thinned evenly (the last point kept). */
export const MAX_REPORT_POINTS = 4000;

/**
 * Escape text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { escapeHtml } from "./html_report.ts";
 * assert.equal(escapeHtml("<img src=x>"), "&lt;img src=x&gt;");
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
 * import { strict as assert } from "node:assert";
 * import { jsonForScript } from "./html_report.ts";
 * assert.equal(jsonForScript({ a: "</script>" }), '{"a":"\\u003c/script>"}');
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
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { renderHtmlReport } from "./html_report.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "small.tif:m", responseTimeMs: 120, length: 0, at: 500 });
 * const jobs = {
 *   total_image_sent: 1, total_image_in_progress: 0, total_image_processed: 1, total_image_succeeded: 1,
 *   total_image_failed: 0, total_gb_processed: 0, total_pixels_processed: 0, total_image_partial: 0,
 *   total_image_timed_out: 0,
 * };
 * const html = renderHtmlReport({
 *   stats, userCount: () => 1, jobs: () => jobs, timeline: () => [],
 *   configuration: [["Region", "us-west-2"]], startedAt: 0, stoppedAt: () => 1000,
 * });
 * assert.ok(html.startsWith("<!doctype html>"));
 * assert.ok(html.includes("small.tif:m"));
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
  const pixelsUnknown = (jobs as Partial<JobStatisticsExtra>).jobs_pixels_unknown ?? 0;
  if (pixelsUnknown > 0) {
    jobRows.push([
      "Jobs with unknown pixels (header unreadable; not in pixels processed)",
      String(pixelsUnknown),
    ]);
  }
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

  const data: ReportData = { timeline: thinTimeline(timeline), capacity: [...capacity] };
  const thresholds = ctx.thresholds?.() ?? [];

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
#stats tbody tr:last-child td { font-weight: 600; }
#thresholds tr.pass td { background: #e6f4ea; } #thresholds tr.fail td { background: #fde7e7; }
#thresholds td.verdict { font-weight: 700; }
#thresholds tr.pass td.verdict { color: #1e6b2e; } #thresholds tr.fail td.verdict { color: #a31515; }
.verdict-line.pass { color: #1e6b2e; } .verdict-line.fail { color: #a31515; } .note { color: #556; }
pre { margin: 0; white-space: pre-wrap; font-size: 0.8rem; }
.charts { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); }
.chart { margin: 0; min-width: 0; }
.chart figcaption { font-weight: 600; font-size: 0.95rem; margin: 0.5rem 0; }
.plot { width: 100%; min-height: 220px; }
</style>
</head>
<body>
<h1>osml-load report</h1>
<p>Started <time>${escapeHtml(iso(ctx.startedAt))}</time>${
    stopped === undefined
      ? " (still running)"
      : `, stopped <time>${escapeHtml(iso(stopped))}</time>`
  }; ${escapeHtml(num(duration, 1))} s; ${ctx.userCount()} users at the end.</p>

<h2>Thresholds</h2>
${thresholdSection(thresholds)}

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
<div class="charts" id="charts"></div>

<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${scriptSafe(FRONTEND_JS)}</script>
</body>
</html>
`;
}

/** `</script` inside inlined JavaScript would end the element: write it `<\/script`. */
function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1");
}

/**
 * At most {@linkcode MAX_REPORT_POINTS} points, evenly spread, the first and last kept.
 *
 * @example
 * ```ts
 * import type { TimelinePoint } from "../model/run_report.ts";
 * import { thinTimeline } from "./html_report.ts";
 * const points = Array.from({ length: 10_000 }, (_, t) => ({ t }) as TimelinePoint);
 * const thin = thinTimeline(points);
 * if (thin.length !== 4000 || thin.at(-1)!.t !== 9_999) throw new Error("bounded, last kept");
 * ```
 */
export function thinTimeline(timeline: readonly TimelinePoint[]): TimelinePoint[] {
  if (timeline.length <= MAX_REPORT_POINTS) return [...timeline];
  const step = (timeline.length - 1) / (MAX_REPORT_POINTS - 1);
  const out: TimelinePoint[] = [];
  for (let i = 0; i < MAX_REPORT_POINTS; i++) {
    out.push(timeline[Math.round(i * step)] as TimelinePoint);
  }
  return out;
}

/** A threshold's observed value as the report shows it: `no data` when it could not be measured. */
function observed(result: ThresholdResult): string {
  const actual: unknown = result.actual;
  if (typeof actual !== "number" || !Number.isFinite(actual)) return "no data";
  return Number.isInteger(actual) ? String(actual) : String(Number(actual.toPrecision(6)));
}

/**
 * The thresholds table (expression, observed value or "no data", pass/fail;
 * green and red rows) under a one-line verdict; a note when none were set.
 */
function thresholdSection(results: readonly ThresholdResult[]): string {
  if (results.length === 0) {
    return `<p class="note" id="thresholds-none">No thresholds were set (add them with --threshold, e.g. "Submit Image:p95&lt;500").</p>`;
  }
  const failed = results.filter((r) => !r.passed).length;
  const verdict = failed === 0
    ? `<p class="verdict-line pass">All ${results.length} thresholds passed.</p>`
    : `<p class="verdict-line fail">${failed} of ${results.length} thresholds failed.</p>`;
  const rows = results.map((r) =>
    `<tr class="${r.passed ? "pass" : "fail"}"><td><code>${
      escapeHtml(r.threshold.expression)
    }</code></td><td>${escapeHtml(observed(r))}</td><td class="verdict">${
      r.passed ? "pass" : "fail"
    }</td></tr>`
  ).join("\n");
  return `${verdict}
<table id="thresholds"><thead><tr><th>Threshold</th><th>Observed</th><th>Result</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

/**
 * The `--html FILE` output: renders and writes the report atomically at finish
 * (also after Ctrl-C, when the engine calls `finish`).
 *
 * @example
 * ```ts
 * import { createHtmlReportOutput } from "./html_report.ts";
 * const output = createHtmlReportOutput({ path: "report.html" });
 * if (output.name !== "html") throw new Error("html");
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
