/**
 * The web UI's page: static markup only. The start form's fields and the
 * charts are built by the page script from their descriptors; every value
 * from a run is filled in with `textContent` (never as HTML).
 *
 * @example
 * ```ts
 * import { PAGE_HTML } from "./page_html.ts";
 * if (!PAGE_HTML.includes('id="start-form"')) throw new Error("the form is there");
 * ```
 * @module
 */
import { DOWNLOAD_NAMES } from "./downloads.ts";

const DOWNLOAD_LABELS: Record<(typeof DOWNLOAD_NAMES)[number], string> = {
  "stats.csv": "Statistics CSV",
  "stats_history.csv": "Statistics history CSV",
  "failures.csv": "Failures CSV",
  "exceptions.csv": "Exceptions CSV",
  "report.html": "HTML report",
  "job_status.json": "job_status.json",
  "job_summary.json": "job_summary.json",
  "job_log.log": "job_log.log (the run's log)",
};

const DOWNLOAD_ITEMS = DOWNLOAD_NAMES.map((name) =>
  `    <li><a data-download="${name}" href="/api/download/${name}" download>${
    DOWNLOAD_LABELS[name]
  }</a></li>`
).join("\n");

/** The page served at `/`. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>osml-load</title>
<link rel="stylesheet" href="/assets/uplot.css">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<header class="topbar">
  <div class="brand">osml-load <span class="sub">OSML Model Runner load test</span></div>
  <dl class="metrics">
    <div><dt>Status</dt><dd id="m-state" data-state="idle">idle</dd></div>
    <div><dt>Users</dt><dd id="m-users">0</dd></div>
    <div><dt title="Submit Image requests per second">Submissions/s</dt><dd id="m-rps">0</dd></div>
    <div><dt>Failures</dt><dd id="m-fail">0%</dd></div>
    <div><dt>Jobs done</dt><dd id="m-jobs">0</dd></div>
    <div><dt>CPU</dt><dd id="m-cpu">–</dd></div>
    <div><dt>Memory</dt><dd id="m-mem">–</dd></div>
  </dl>
  <div class="actions">
    <button type="button" id="btn-edit" hidden>Edit users</button>
    <button type="button" id="btn-stop-wait" class="danger" hidden title="Stop sending, then wait for the jobs in flight (at most the completion timeout)">Stop, wait for jobs</button>
    <button type="button" id="btn-stop-now" class="danger outline" hidden title="Stop sending and end the run without waiting for jobs in flight">Stop now</button>
    <button type="button" id="btn-reset" hidden>Reset stats</button>
    <button type="button" id="btn-new" hidden>New test</button>
  </div>
</header>
<div id="banner-error" class="banner error" role="alert" hidden></div>
<div id="banner-drain" class="banner info" role="status" hidden></div>
<div id="banner-cpu" class="banner warn" role="status" hidden></div>
<div id="banner-conn" class="banner warn" role="status" hidden>Connection to osml-load lost; reconnecting…</div>

<section id="start-panel" class="panel" hidden>
  <h2 id="start-title">Start a new load test</h2>
  <form id="start-form" novalidate>
    <div id="start-fields" class="form-groups"></div>
    <p id="form-error" class="form-error" role="alert" hidden></p>
    <div class="form-actions"><button type="submit" id="btn-start" class="primary">Start</button></div>
  </form>
</section>

<section id="users-panel" class="panel" hidden>
  <h2>Change the user count</h2>
  <form id="users-form" class="form-grid" novalidate>
    <label>Number of users <input name="users" id="u-users" type="number" min="0" step="1" required></label>
    <label>Spawn rate (users/s) <input name="spawnRate" id="u-spawn" type="number" min="0.001" step="any" required></label>
    <div class="form-actions">
      <button type="submit" id="btn-apply" class="primary">Apply</button>
      <button type="button" id="btn-cancel-users">Cancel</button>
    </div>
  </form>
</section>

<nav class="tabs" role="tablist">
  <button type="button" role="tab" data-tab="dashboard" aria-selected="true">Dashboard</button>
  <button type="button" role="tab" data-tab="failures" aria-selected="false">Failures <span class="count" id="c-failures">0</span></button>
  <button type="button" role="tab" data-tab="exceptions" aria-selected="false">Exceptions <span class="count" id="c-exceptions">0</span></button>
  <button type="button" role="tab" data-tab="jobs" aria-selected="false">Jobs <span class="count" id="c-jobs">0</span></button>
  <button type="button" role="tab" data-tab="logs" aria-selected="false">Logs</button>
  <button type="button" role="tab" data-tab="downloads" aria-selected="false">Downloads</button>
</nav>

<main>
<section id="tab-dashboard" class="tab" role="tabpanel">
  <h2>Statistics</h2>
  <div class="table-wrap" id="stats-wrap">
    <table id="stats-table" class="data stats">
      <thead><tr>
        <th class="col-type">Type</th><th class="col-name">Name</th><th class="num"># Requests</th><th class="num"># Fails</th>
        <th class="num">Median (ms)</th><th class="num">95%ile (ms)</th><th class="num">99%ile (ms)</th>
        <th class="num">Average (ms)</th><th class="num">Min (ms)</th><th class="num">Max (ms)</th>
        <th class="num">Average size (bytes)</th><th class="num">Current RPS</th><th class="num">Current failures/s</th>
      </tr></thead>
      <tbody></tbody>
      <tfoot></tfoot>
    </table>
  </div>
  <h2>Job statistics</h2>
  <dl id="job-stats" class="job-stats"></dl>
  <section id="mix-section" hidden>
    <h2>User mix</h2>
    <div class="table-wrap mix-wrap">
      <table id="mix-table" class="data">
        <thead><tr><th>User kind</th><th class="num">Share by weight</th><th class="num">Users now</th><th class="num">Current ratio</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
  </section>
  <h2>Charts</h2>
  <div class="charts" id="charts"></div>
</section>

<section id="tab-failures" class="tab" role="tabpanel" hidden>
  <h2>Failures</h2>
  <p class="note" id="failures-note"></p>
  <div class="table-wrap">
    <table id="failures-table" class="data">
      <thead><tr><th class="num"># Failures</th><th>Method</th><th>Name</th><th>Message</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
</section>

<section id="tab-exceptions" class="tab" role="tabpanel" hidden>
  <h2>Exceptions</h2>
  <p class="note" id="exceptions-note"></p>
  <div class="table-wrap">
    <table id="exceptions-table" class="data">
      <thead><tr><th class="num">Count</th><th>Message</th><th>Traceback</th><th>Nodes</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
</section>

<section id="tab-jobs" class="tab" role="tabpanel" hidden>
  <h2>Jobs</h2>
  <div class="filters">
    <label>Status
      <select id="job-status">
        <option value="">All</option><option>STARTED</option><option>IN_PROGRESS</option>
        <option>SUCCESS</option><option>PARTIAL</option><option>FAILED</option>
      </select>
    </label>
    <span class="note" id="jobs-note"></span>
  </div>
  <div class="table-wrap">
    <table id="jobs-table" class="data sortable">
      <thead><tr>
        <th data-sort="start_time" aria-sort="descending">Start time</th>
        <th data-sort="job_id">Job id</th>
        <th data-sort="image_url">Image</th>
        <th data-sort="status">Status</th>
        <th data-sort="size" class="num">Size (bytes)</th>
        <th data-sort="pixels" class="num">Pixels</th>
        <th data-sort="processing_duration" class="num">Duration (s)</th>
      </tr></thead>
      <tbody></tbody>
    </table>
  </div>
</section>

<section id="tab-logs" class="tab" role="tabpanel" hidden>
  <h2>Logs</h2>
  <p class="note" id="logs-note">No log yet: job_log.log is written once a run starts.</p>
  <pre id="log-view" class="log-view" tabindex="0"></pre>
</section>

<section id="tab-downloads" class="tab" role="tabpanel" hidden>
  <h2>Download data</h2>
  <p class="note">Files of the latest run. CSV files follow Locust's formats.</p>
  <ul class="downloads" id="downloads">
${DOWNLOAD_ITEMS}
  </ul>
</section>
</main>
<script src="/assets/app.js"></script>
</body>
</html>
`;
