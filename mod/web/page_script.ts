/**
 * The web UI's browser script (`/assets/app.js`): reads the live feed
 * (server-sent events), fills the statistics table, the job statistics,
 * the uPlot charts and the tabs, and drives the controls. Every value from
 * the server goes into the page with `textContent` or chart data, never as
 * HTML, so image names and error messages cannot inject markup.
 *
 * @example
 * ```ts
 * import { PAGE_SCRIPT } from "./page_script.ts";
 * PAGE_SCRIPT.includes("innerHTML"); // false
 * ```
 * @module
 */

/** `/assets/app.js` (plain ES2020, no build step). */
export const PAGE_SCRIPT = String.raw`"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var runId = -1;
  var timeline = [];
  var charts = {};
  var last = null;
  var activeTab = "dashboard";
  var jobQuery = { status: "", sort: "start_time", dir: "desc" };
  var jobsBusy = false;
  var wantStartForm = false;
  var editingUsers = false;
  var formDefaults = null;
  var KNOWN_STATUS = { STARTED: 1, IN_PROGRESS: 1, SUCCESS: 1, PARTIAL: 1, FAILED: 1 };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fmtInt(n) { return Math.round(Number(n) || 0).toLocaleString("en-US"); }
  function fmtFixed(n, d) { return (Number(n) || 0).toFixed(d); }
  function fmtMs(n) { n = Number(n) || 0; return n >= 100 ? fmtInt(n) : String(Math.round(n * 10) / 10); }
  function fmtBytes(b) {
    b = Number(b) || 0;
    var units = ["B", "KiB", "MiB", "GiB", "TiB"];
    var i = 0;
    while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
    return (i === 0 ? String(Math.round(b)) : b.toFixed(1)) + " " + units[i];
  }
  function setText(id, text) { var e = $(id); if (e) e.textContent = String(text); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function cell(tr, text, cls) { tr.appendChild(el("td", text, cls)); }

  function showError(message) {
    var b = $("banner-error");
    if (message) { b.textContent = String(message); b.hidden = false; } else { b.hidden = true; b.textContent = ""; }
  }

  function api(path, body) {
    return fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body || {}),
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) throw new Error(data.error || (r.status + " " + r.statusText));
        return data;
      });
    });
  }

  // ---- tabs ----
  function selectTab(name) {
    activeTab = name;
    var tabs = document.querySelectorAll(".tabs [data-tab]");
    for (var i = 0; i < tabs.length; i++) {
      var t = tabs[i];
      var on = t.getAttribute("data-tab") === name;
      t.setAttribute("aria-selected", on ? "true" : "false");
      $("tab-" + t.getAttribute("data-tab")).hidden = !on;
    }
    if (name === "dashboard") drawCharts(true);
    if (name === "jobs") refreshJobs();
  }

  // ---- charts ----
  var CHARTS = {
    "chart-rps": { series: [["RPS", "#2e7d32", "rps"], ["Failures/s", "#c62828", "fps"]] },
    "chart-rt": { series: [["Median", "#1f6feb", "p50"], ["95%ile", "#f57c00", "p95"], ["99%ile", "#8e24aa", "p99"]] },
    "chart-users": { series: [["Users", "#455a64", "users"]] },
    "chart-jobs": { series: [["In flight", "#1f6feb", "jobsInFlight"], ["Succeeded", "#2e7d32", "jobsSucceeded"], ["Failed", "#c62828", "jobsFailed"], ["Partial", "#f57c00", "jobsPartial"], ["Timed out", "#6d4c41", "jobsTimedOut"]] },
    "chart-volume": { series: [["GB", "#00838f", "gbProcessed", "gb"], ["Gigapixels", "#6a1b9a", "pixelsProcessed", "gpx"]] },
    "chart-backlog": { series: [["Queue backlog", "#37474f", "queueDepth"], ["Jobs in flight", "#1f6feb", "jobsInFlight"], ["Target rate/s", "#f57c00", "targetRate", "rate"]] },
  };
  function seriesValue(point, key) {
    var v = point[key];
    if (v === undefined || v === null) return null;
    return key === "pixelsProcessed" ? v / 1e9 : v;
  }
  function chartData(spec) {
    var data = [timeline.map(function (p) { return p.t / 1000; })];
    spec.series.forEach(function (s) { data.push(timeline.map(function (p) { return seriesValue(p, s[2]); })); });
    return data;
  }
  function plotSize(plot) {
    return { width: Math.max(200, Math.floor(plot.clientWidth)), height: window.innerWidth <= 600 ? 180 : 220 };
  }
  function makeChart(id, spec) {
    var fig = $(id);
    var plot = fig.querySelector(".plot");
    var size = plotSize(plot);
    var scales = { x: { time: true } };
    var axes = [{}, { size: 56 }];
    var series = [{}];
    spec.series.forEach(function (s) {
      var opt = { label: s[0], stroke: s[1], width: 2, spanGaps: true };
      if (s[3]) { opt.scale = s[3]; }
      series.push(opt);
    });
    if (id === "chart-volume") {
      scales.gb = { auto: true }; scales.gpx = { auto: true };
      axes = [{}, { scale: "gb", size: 56 }, { scale: "gpx", side: 1, size: 56, grid: { show: false } }];
    }
    if (id === "chart-backlog") {
      scales.rate = { auto: true };
      axes = [{}, { size: 56 }, { scale: "rate", side: 1, size: 56, grid: { show: false } }];
    }
    var u = new uPlot({ width: size.width, height: size.height, scales: scales, axes: axes, series: series, legend: { live: true } }, chartData(spec), plot);
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (plot.clientWidth > 0) u.setSize(plotSize(plot));
      }).observe(plot);
    }
    return u;
  }
  function drawCharts(force) {
    if (typeof uPlot === "undefined") return;
    if ($("tab-dashboard").hidden) return;
    Object.keys(CHARTS).forEach(function (id) {
      var spec = CHARTS[id];
      if (!charts[id]) charts[id] = makeChart(id, spec);
      else charts[id].setData(chartData(spec));
      if (force) {
        var plot = $(id).querySelector(".plot");
        if (plot.clientWidth > 0) charts[id].setSize(plotSize(plot));
      }
      $(id).setAttribute("data-points", String(timeline.length));
    });
  }

  // ---- rendering ----
  function statsRow(r, tag) {
    var tr = document.createElement("tr");
    var c = function (t, cls) { tr.appendChild(el(tag, t, cls)); };
    c(r.type); c(r.name);
    c(fmtInt(r.requests), "num"); c(fmtInt(r.failures), "num");
    c(fmtMs(r.median), "num"); c(fmtMs(r.p95), "num"); c(fmtMs(r.p99), "num");
    c(fmtMs(r.avg), "num"); c(fmtMs(r.min), "num"); c(fmtMs(r.max), "num");
    c(fmtInt(r.avgSize), "num"); c(fmtFixed(r.currentRps, 1), "num"); c(fmtFixed(r.currentFailPerSec, 1), "num");
    return tr;
  }
  function renderStats(s) {
    var table = $("stats-table");
    var body = table.tBodies[0];
    clear(body);
    s.stats.forEach(function (r) { body.appendChild(statsRow(r, "td")); });
    var foot = table.tFoot;
    clear(foot);
    foot.appendChild(statsRow(s.total, "td"));
  }
  function renderJobStats(s) {
    var dl = $("job-stats");
    clear(dl);
    var j = s.jobs || {};
    var elapsedH = s.startedAt ? (((s.stoppedAt || s.now) - s.startedAt) / 3600000) : 0;
    var perHour = function (v) { return elapsedH > 0 ? (Number(v) || 0) / elapsedH : 0; };
    var items = [
      ["Images sent", fmtInt(j.total_image_sent)],
      ["In progress", fmtInt(j.total_image_in_progress)],
      ["Processed", fmtInt(j.total_image_processed)],
      ["Succeeded", fmtInt(j.total_image_succeeded)],
      ["Failed (incl. partial)", fmtInt(j.total_image_failed)],
      ["Partial", fmtInt(j.total_image_partial)],
      ["Timed out", fmtInt(j.total_image_timed_out)],
      ["GB processed", fmtFixed(j.total_gb_processed, 2)],
      ["Pixels processed", fmtInt(j.total_pixels_processed)],
      ["Images / hour", fmtFixed(perHour(j.total_image_processed), 1)],
      ["GB / hour", fmtFixed(perHour(j.total_gb_processed), 2)],
    ];
    items.forEach(function (it) {
      var d = document.createElement("div");
      d.appendChild(el("dt", it[0]));
      d.appendChild(el("dd", it[1]));
      dl.appendChild(d);
    });
  }
  function renderFailures(s) {
    var body = $("failures-table").tBodies[0];
    clear(body);
    s.failures.forEach(function (f) {
      var tr = document.createElement("tr");
      cell(tr, fmtInt(f.occurrences), "num"); cell(tr, f.method); cell(tr, f.name); cell(tr, f.error, "wrap");
      body.appendChild(tr);
    });
    setText("c-failures", s.failureCount);
    setText("failures-note", s.failureCount > s.failures.length ? ("Showing the " + s.failures.length + " most frequent of " + s.failureCount + " failure kinds.") : "");
  }
  function renderExceptions(s) {
    var body = $("exceptions-table").tBodies[0];
    clear(body);
    s.exceptions.forEach(function (x) {
      var tr = document.createElement("tr");
      cell(tr, fmtInt(x.count), "num"); cell(tr, x.message, "wrap"); cell(tr, x.traceback, "wrap"); cell(tr, x.nodes);
      body.appendChild(tr);
    });
    setText("c-exceptions", s.exceptionCount);
    setText("exceptions-note", s.exceptionCount > s.exceptions.length ? ("Showing " + s.exceptions.length + " of " + s.exceptionCount + ".") : "");
  }
  function renderControls(s) {
    var st = s.state;
    var live = st === "preparing" || st === "running";
    $("btn-stop").hidden = !(live || st === "stopping");
    $("btn-stop").disabled = st === "stopping";
    $("btn-edit").hidden = st !== "running";
    $("btn-reset").hidden = !(st === "running" || st === "stopping");
    $("btn-new").hidden = st !== "finished";
    var showStart = st === "idle" || (st === "finished" && wantStartForm);
    $("start-panel").hidden = !showStart;
    $("btn-start").disabled = !showStart;
    if (st !== "running") editingUsers = false;
    $("users-panel").hidden = !editingUsers;
  }
  function renderDownloads(s) {
    var links = document.querySelectorAll("[data-download]");
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      var ok = s.downloads.indexOf(a.getAttribute("data-download")) >= 0;
      a.setAttribute("aria-disabled", ok ? "false" : "true");
    }
  }
  function renderTimeline(s) {
    if (s.runId !== runId || s.timelineFrom === 0) {
      timeline = s.timeline.slice();
    } else if (s.timelineFrom === timeline.length) {
      Array.prototype.push.apply(timeline, s.timeline);
    } else {
      timeline = timeline.slice(0, s.timelineFrom).concat(s.timeline);
    }
    runId = s.runId;
  }
  function render(s) {
    last = s;
    renderTimeline(s);
    var state = $("m-state");
    state.textContent = s.state;
    state.setAttribute("data-state", s.state);
    setText("m-users", fmtInt(s.users));
    setText("m-rps", fmtFixed(s.total.currentRps, 1));
    setText("m-fail", Math.round((s.failRatio || 0) * 100) + "%");
    setText("m-jobs", fmtInt(s.jobs ? s.jobs.total_image_processed : 0));
    var cpu = $("m-cpu");
    cpu.textContent = Math.round(s.system.cpuPercent) + "%";
    cpu.className = s.system.cpuWarning ? "hot" : "";
    setText("m-mem", fmtBytes(s.system.rssBytes));
    var cpuBanner = $("banner-cpu");
    cpuBanner.hidden = !s.system.cpuWarning;
    cpuBanner.textContent = s.system.cpuWarning
      ? ("CPU usage of the load generator is " + Math.round(s.system.cpuPercent) + "% of " + s.system.cores + " cores: results may be limited by this machine, not by Model Runner. Use fewer users or a bigger machine.")
      : "";
    var err = s.error || "";
    if (!err && s.result && s.state === "finished") err = "";
    showError(err);
    renderControls(s);
    renderStats(s);
    renderJobStats(s);
    renderFailures(s);
    renderExceptions(s);
    var jobsTotal = 0;
    Object.keys(s.jobStatusCounts).forEach(function (k) { jobsTotal += s.jobStatusCounts[k]; });
    setText("c-jobs", jobsTotal);
    renderDownloads(s);
    drawCharts(false);
    if (activeTab === "jobs") refreshJobs();
  }

  // ---- jobs tab ----
  function refreshJobs() {
    if (jobsBusy) return;
    jobsBusy = true;
    var q = new URLSearchParams();
    if (jobQuery.status) q.set("status", jobQuery.status);
    q.set("sort", jobQuery.sort);
    q.set("dir", jobQuery.dir);
    fetch("/api/jobs?" + q.toString()).then(function (r) { return r.json(); }).then(function (page) {
      var body = $("jobs-table").tBodies[0];
      clear(body);
      page.rows.forEach(function (r) {
        var tr = document.createElement("tr");
        cell(tr, r.start_time); cell(tr, r.job_id); cell(tr, r.image_url);
        cell(tr, r.status, KNOWN_STATUS[r.status] ? ("status-" + r.status) : "");
        cell(tr, fmtInt(r.size), "num"); cell(tr, fmtInt(r.pixels), "num");
        cell(tr, r.processing_duration === null ? "" : fmtFixed(r.processing_duration, 2), "num");
        body.appendChild(tr);
      });
      var counts = last ? last.jobStatusCounts : {};
      var parts = Object.keys(counts).map(function (k) { return k + " " + counts[k]; }).join(", ");
      setText("jobs-note", "Showing " + page.rows.length + " of " + page.matched + " matching (" + page.total + " jobs: " + parts + ").");
    }).catch(function () {}).then(function () { jobsBusy = false; });
  }
  function setSort(key) {
    if (jobQuery.sort === key) jobQuery.dir = jobQuery.dir === "desc" ? "asc" : "desc";
    else { jobQuery.sort = key; jobQuery.dir = "desc"; }
    var ths = document.querySelectorAll("#jobs-table th[data-sort]");
    for (var i = 0; i < ths.length; i++) {
      var th = ths[i];
      if (th.getAttribute("data-sort") === jobQuery.sort) th.setAttribute("aria-sort", jobQuery.dir === "asc" ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
    refreshJobs();
  }

  // ---- forms and buttons ----
  function fillStartForm(form) {
    $("f-users").value = String(form.users);
    $("f-spawn").value = String(form.spawnRate);
    $("f-runtime").value = String(form.runTime);
    $("f-userclass").value = String(form.userClass);
    $("f-model").value = String(form.modelName);
  }
  function wire() {
    var tabs = document.querySelectorAll(".tabs [data-tab]");
    for (var i = 0; i < tabs.length; i++) {
      tabs[i].addEventListener("click", function (ev) { selectTab(ev.currentTarget.getAttribute("data-tab")); });
    }
    var ths = document.querySelectorAll("#jobs-table th[data-sort]");
    for (var k = 0; k < ths.length; k++) {
      ths[k].addEventListener("click", function (ev) { setSort(ev.currentTarget.getAttribute("data-sort")); });
    }
    $("job-status").addEventListener("change", function (ev) { jobQuery.status = ev.target.value; refreshJobs(); });
    $("start-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      $("btn-start").disabled = true;
      api("/api/start", {
        users: $("f-users").value, spawnRate: $("f-spawn").value, runTime: $("f-runtime").value,
        userClass: $("f-userclass").value, modelName: $("f-model").value,
      }).then(function () { wantStartForm = false; showError(""); $("start-panel").hidden = true; })
        .catch(function (e) { showError(e.message); $("btn-start").disabled = false; });
    });
    $("btn-edit").addEventListener("click", function () {
      editingUsers = true;
      $("u-users").value = String(last ? last.users : 1);
      if (!$("u-spawn").value) $("u-spawn").value = $("f-spawn").value || "1";
      $("users-panel").hidden = false;
      $("u-users").focus();
    });
    $("btn-cancel-users").addEventListener("click", function () { editingUsers = false; $("users-panel").hidden = true; });
    $("users-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      api("/api/users", { users: $("u-users").value, spawnRate: $("u-spawn").value })
        .then(function () { editingUsers = false; $("users-panel").hidden = true; showError(""); })
        .catch(function (e) { showError(e.message); });
    });
    $("btn-stop").addEventListener("click", function () { api("/api/stop").catch(function (e) { showError(e.message); }); });
    $("btn-reset").addEventListener("click", function () { api("/api/reset").catch(function (e) { showError(e.message); }); });
    $("btn-new").addEventListener("click", function () {
      wantStartForm = true;
      if (formDefaults) fillStartForm(formDefaults);
      if (last) renderControls(last);
    });
  }
  function connect() {
    var source = new EventSource("/api/stream");
    source.addEventListener("snapshot", function (ev) {
      $("banner-conn").hidden = true;
      try { render(JSON.parse(ev.data)); } catch (e) { showError("Could not show an update: " + e.message); }
    });
    source.addEventListener("error", function () { $("banner-conn").hidden = false; });
  }

  wire();
  fetch("/api/config").then(function (r) { return r.json(); }).then(function (cfg) {
    formDefaults = cfg.form;
    fillStartForm(cfg.form);
  }).catch(function (e) { showError("Could not load the settings: " + e.message); });
  connect();
})();
`;
