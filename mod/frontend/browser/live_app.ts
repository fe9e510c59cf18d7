/**
 * The live web UI (`/assets/app.js` on the page served at `/`): reads the
 * server-sent snapshots, fills the statistics table, the job statistics, the
 * user mix, the charts and the tabs (failures, exceptions, jobs, logs,
 * downloads), and drives the controls (start form, users, stop and wait, stop
 * now, reset). Every value from the server goes into the page with
 * `textContent` or chart data, never as HTML.
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { startLiveApp } from "./live_app.ts";
 * startLiveApp();
 * ```
 * @module
 */
import type {
  ConfigBody,
  DashboardSnapshot,
  JobPage,
  LogTail,
  StatsRow,
  StopMode,
} from "../wire.ts";
import { ApiError, getJson, postJson } from "./api.ts";
import { chartData, type ChartPoint, TIMELINE_CHARTS } from "./chart_specs.ts";
import { Chart } from "./charts.ts";
import { byId, clear, el, setText } from "./dom.ts";
import { fmtBytes, fmtDuration, fmtFixed, fmtInt, fmtMs, UNKNOWN } from "./format.ts";
import { StartFormView } from "./start_form_view.ts";

const KNOWN_STATUS = new Set(["STARTED", "IN_PROGRESS", "SUCCESS", "PARTIAL", "FAILED"]);
const OPEN_STATUS = new Set(["STARTED", "IN_PROGRESS"]);
const LOG_LINES = 500;

/** A rate: one decimal below 100, whole with separators above. */
function fmtRate(n: number | null): string {
  return n !== null && n >= 100 ? fmtInt(n) : fmtFixed(n, 1);
}

type Tab = "dashboard" | "failures" | "exceptions" | "jobs" | "logs" | "downloads";

/** The live page's state and rendering. */
class LiveApp {
  #runId = -1;
  #timeline: ChartPoint[] = [];
  #charts = new Map<string, Chart>();
  #last: DashboardSnapshot | undefined;
  #tab: Tab = "dashboard";
  #jobQuery = { status: "", sort: "start_time", dir: "desc" };
  #jobsBusy = false;
  #logsBusy = false;
  #wantStartForm = false;
  #editingUsers = false;
  #form: StartFormView | undefined;

  constructor() {
    this.#buildCharts();
    this.#wire();
  }

  /** Follow the live feed; build the start form from the server's fields and values. */
  async start(): Promise<void> {
    this.#connect();
    try {
      const config = await getJson<ConfigBody>("/api/config");
      this.#form = new StartFormView(byId("start-fields"), config.fields);
      this.#form.fill(config.form);
    } catch (error) {
      this.#showError(`Could not load the settings: ${(error as Error).message}`);
    }
  }

  // ---- feed ----

  #connect(): void {
    const source = new EventSource("/api/stream");
    source.addEventListener("snapshot", (event) => {
      byId("banner-conn").hidden = true;
      try {
        this.#render(JSON.parse((event as MessageEvent<string>).data) as DashboardSnapshot);
      } catch (error) {
        this.#showError(`Could not show an update: ${(error as Error).message}`);
      }
    });
    source.addEventListener("error", () => {
      byId("banner-conn").hidden = false;
    });
  }

  #render(s: DashboardSnapshot): void {
    this.#last = s;
    this.#mergeTimeline(s);
    const state = byId("m-state");
    state.textContent = s.state;
    state.dataset.state = s.state;
    setText("m-users", fmtInt(s.users));
    setText("m-rps", fmtFixed(s.submitRps, 1));
    setText("m-fail", `${Math.round((s.failRatio || 0) * 100)}%`);
    setText("m-jobs", fmtInt(s.jobs ? s.jobs.total_image_processed : 0));
    const cpu = byId("m-cpu");
    cpu.textContent = `${Math.round(s.system.cpuPercent)}%`;
    cpu.className = s.system.cpuWarning ? "hot" : "";
    setText("m-mem", fmtBytes(s.system.rssBytes));
    const cpuBanner = byId("banner-cpu");
    cpuBanner.hidden = !s.system.cpuWarning;
    cpuBanner.textContent = s.system.cpuWarning
      ? `CPU usage of the load generator is ${
        Math.round(s.system.cpuPercent)
      }% of ${s.system.cores} cores: results may be limited by this machine, not by Model Runner. Use fewer users or a bigger machine.`
      : "";
    this.#showError(s.error ?? "");
    this.#renderStopStatus(s);
    this.#renderControls(s);
    this.#renderStats(s);
    this.#renderJobStats(s);
    this.#renderUserMix(s);
    this.#renderFailures(s);
    this.#renderExceptions(s);
    let jobsTotal = 0;
    for (const n of Object.values(s.jobStatusCounts)) jobsTotal += n;
    setText("c-jobs", jobsTotal);
    this.#renderDownloads(s);
    this.#drawCharts();
    if (this.#tab === "jobs") void this.#refreshJobs();
    if (this.#tab === "logs") void this.#refreshLogs();
  }

  #mergeTimeline(s: DashboardSnapshot): void {
    if (s.runId !== this.#runId || s.timelineFrom === 0) this.#timeline = [...s.timeline];
    else if (s.timelineFrom === this.#timeline.length) this.#timeline.push(...s.timeline);
    else this.#timeline = [...this.#timeline.slice(0, s.timelineFrom), ...s.timeline];
    this.#runId = s.runId;
  }

  // ---- rendering ----

  /** True when the run ended (or is ending) without waiting for its open jobs. */
  #notWaited(s: DashboardSnapshot): boolean {
    return s.state === "finished" ||
      (s.state === "stopping" && s.stopMode === "now");
  }

  #renderStopStatus(s: DashboardSnapshot): void {
    const banner = byId("banner-drain");
    const open = s.jobs?.total_image_in_progress ?? 0;
    let text = "";
    const draining = s.phase === "drain" && s.stopMode !== "now" &&
      (s.state === "running" || s.state === "stopping");
    if (draining || (s.state === "stopping" && s.stopMode === "wait")) {
      const left = s.drainDeadline !== null
        ? `, giving up in ${fmtDuration((s.drainDeadline - s.now) / 1000)}`
        : s.completionTimeoutS !== null
        ? `, for at most ${fmtDuration(s.completionTimeoutS)}`
        : "";
      text = `${draining && s.stopMode === null ? "The run time ended" : "Stopped sending"}. ` +
        `Waiting for ${fmtInt(open)} job(s) in flight${left}. ` +
        `“Stop now” ends the wait; open jobs then stay unknown.`;
    } else if (s.state === "stopping") {
      text = "Stopping now: users stop, outputs are written; open jobs are not waited for.";
    } else if (s.state === "finished" && open > 0) {
      text = `${fmtInt(open)} job(s) were still in flight when the run ended and were not ` +
        `waited for: their outcome is unknown.`;
    }
    banner.textContent = text;
    banner.hidden = text === "";
  }

  #renderControls(s: DashboardSnapshot): void {
    const st = s.state;
    const live = st === "preparing" || st === "running";
    // While the engine waits for jobs (after the run time, or after "stop and wait") only
    // "stop now" is left: it ends the wait.
    const waiting = (s.phase === "drain" && s.stopMode !== "now") ||
      (st === "stopping" && s.stopMode === "wait");
    byId("btn-stop-wait").hidden = !live || waiting;
    byId("btn-stop-now").hidden = !(live || (st === "stopping" && waiting));
    byId("btn-edit").hidden = st !== "running";
    byId("btn-reset").hidden = !(st === "running" || st === "stopping");
    byId("btn-new").hidden = st !== "finished";
    const showStart = st === "idle" || (st === "finished" && this.#wantStartForm);
    byId("start-panel").hidden = !showStart;
    byId<HTMLButtonElement>("btn-start").disabled = !showStart;
    if (st !== "running") this.#editingUsers = false;
    byId("users-panel").hidden = !this.#editingUsers;
  }

  #statsRow(r: StatsRow): HTMLTableRowElement {
    const tr = el("tr");
    const cell = (text: string, cls?: string) => tr.append(el("td", text, cls));
    cell(r.type, "col-type");
    const name = el("td", null, "col-name");
    if (r.type) name.append(el("span", r.type, "type-inline"));
    name.append(el("span", r.name, "name-text"));
    name.title = r.type ? `${r.type}: ${r.name}` : r.name;
    tr.append(name);
    cell(fmtInt(r.requests), "num");
    cell(fmtInt(r.failures), "num");
    for (const v of [r.median, r.p95, r.p99, r.avg, r.min, r.max]) cell(fmtMs(v), "num");
    cell(fmtInt(r.avgSize), "num");
    cell(fmtFixed(r.currentRps, 1), "num");
    cell(fmtFixed(r.currentFailPerSec, 1), "num");
    return tr;
  }

  #renderStats(s: DashboardSnapshot): void {
    const table = byId<HTMLTableElement>("stats-table");
    const body = table.tBodies[0]!;
    clear(body);
    for (const row of s.stats) body.append(this.#statsRow(row));
    const foot = table.tFoot!;
    clear(foot);
    foot.append(this.#statsRow(s.total));
  }

  #renderJobStats(s: DashboardSnapshot): void {
    const list = byId("job-stats");
    clear(list);
    const j = s.jobs;
    const end = s.stoppedAt ?? s.now;
    const hours = s.startedAt !== null ? (end - s.startedAt) / 3_600_000 : 0;
    const perHour = (v: number | null | undefined) =>
      hours > 0 && typeof v === "number" ? v / hours : null;
    const open = j?.total_image_in_progress ?? null;
    const items: [string, string, string?][] = [
      ["Images sent", fmtInt(j?.total_image_sent)],
      this.#notWaited(s) && (open ?? 0) > 0
        ? ["Not waited for (unknown)", fmtInt(open), "unknown"]
        : ["In progress", fmtInt(open)],
      ["Processed", fmtInt(j?.total_image_processed)],
      ["Succeeded", fmtInt(j?.total_image_succeeded)],
      ["Failed (incl. partial)", fmtInt(j?.total_image_failed)],
      ["Partial", fmtInt(j?.total_image_partial)],
      ["Timed out", fmtInt(j?.total_image_timed_out)],
      ["GB processed", fmtFixed(j?.total_gb_processed, 2)],
      ["Pixels processed", fmtInt(j?.total_pixels_processed)],
      ["Images / hour", fmtRate(perHour(j?.total_image_processed))],
      ["GB / hour", fmtFixed(perHour(j?.total_gb_processed), 2)],
    ];
    for (const [label, value, cls] of items) {
      const box = el("div", null, cls);
      box.append(el("dt", label), el("dd", value));
      list.append(box);
    }
  }

  #renderUserMix(s: DashboardSnapshot): void {
    const body = byId<HTMLTableElement>("mix-table").tBodies[0]!;
    clear(body);
    for (const row of s.userMix) {
      const tr = el("tr");
      tr.append(
        el("td", row.kind),
        el("td", `${fmtFixed(row.share * 100, 0)}%`, "num"),
        el("td", fmtInt(row.users), "num"),
        el("td", s.users > 0 ? `${fmtFixed((row.users / s.users) * 100, 0)}%` : UNKNOWN, "num"),
      );
      body.append(tr);
    }
    byId("mix-section").hidden = s.userMix.length === 0;
  }

  #renderFailures(s: DashboardSnapshot): void {
    const body = byId<HTMLTableElement>("failures-table").tBodies[0]!;
    clear(body);
    for (const f of s.failures) {
      const tr = el("tr");
      tr.append(
        el("td", fmtInt(f.occurrences), "num"),
        el("td", f.method),
        el("td", f.name),
        el("td", f.error, "wrap"),
      );
      body.append(tr);
    }
    setText("c-failures", s.failureCount);
    setText(
      "failures-note",
      s.failureCount > s.failures.length
        ? `Showing the ${s.failures.length} most frequent of ${s.failureCount} failure kinds.`
        : "",
    );
  }

  #renderExceptions(s: DashboardSnapshot): void {
    const body = byId<HTMLTableElement>("exceptions-table").tBodies[0]!;
    clear(body);
    for (const x of s.exceptions) {
      const tr = el("tr");
      tr.append(
        el("td", fmtInt(x.count), "num"),
        el("td", x.message, "wrap"),
        el("td", x.traceback, "wrap"),
        el("td", x.nodes),
      );
      body.append(tr);
    }
    setText("c-exceptions", s.exceptionCount);
    setText(
      "exceptions-note",
      s.exceptionCount > s.exceptions.length
        ? `Showing ${s.exceptions.length} of ${s.exceptionCount}.`
        : "",
    );
  }

  #renderDownloads(s: DashboardSnapshot): void {
    for (const link of document.querySelectorAll<HTMLElement>("[data-download]")) {
      const ok = s.downloads.includes(link.dataset.download ?? "");
      link.setAttribute("aria-disabled", ok ? "false" : "true");
    }
  }

  // ---- charts ----

  #buildCharts(): void {
    const box = byId("charts");
    for (const spec of TIMELINE_CHARTS) {
      const figure = el("figure", null, "chart");
      figure.id = spec.id;
      figure.append(el("figcaption", spec.title), el("div", null, "plot"));
      box.append(figure);
    }
  }

  #drawCharts(): void {
    if (byId("tab-dashboard").hidden) return;
    for (const spec of TIMELINE_CHARTS) {
      const figure = byId(spec.id);
      const model = chartData(spec, this.#timeline);
      const chart = this.#charts.get(spec.id);
      if (chart) chart.update(model);
      else this.#charts.set(spec.id, new Chart(figure.querySelector<HTMLElement>(".plot")!, model));
      figure.dataset.points = String(this.#timeline.length);
      figure.dataset.unit = model.unit;
      if (model.rightUnit) figure.dataset.rightUnit = model.rightUnit;
    }
  }

  // ---- tabs ----

  #selectTab(name: Tab): void {
    this.#tab = name;
    for (const tab of document.querySelectorAll<HTMLElement>(".tabs [data-tab]")) {
      const on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      byId(`tab-${tab.dataset.tab}`).hidden = !on;
    }
    if (name === "dashboard") {
      this.#drawCharts();
      for (const chart of this.#charts.values()) chart.resize();
    }
    if (name === "jobs") void this.#refreshJobs();
    if (name === "logs") void this.#refreshLogs();
  }

  async #refreshJobs(): Promise<void> {
    if (this.#jobsBusy) return;
    this.#jobsBusy = true;
    try {
      const q = new URLSearchParams();
      if (this.#jobQuery.status) q.set("status", this.#jobQuery.status);
      q.set("sort", this.#jobQuery.sort);
      q.set("dir", this.#jobQuery.dir);
      const page = await getJson<JobPage>(`/api/jobs?${q}`);
      const notWaited = this.#last !== undefined && this.#notWaited(this.#last);
      const body = byId<HTMLTableElement>("jobs-table").tBodies[0]!;
      clear(body);
      for (const r of page.rows) {
        const tr = el("tr");
        const open = OPEN_STATUS.has(r.status);
        const status = open && notWaited ? `${r.status} · not waited for` : r.status;
        const cls = open && notWaited
          ? "status-unknown"
          : KNOWN_STATUS.has(r.status)
          ? `status-${r.status}`
          : "";
        tr.append(
          el("td", r.start_time),
          el("td", r.job_id),
          el("td", r.image_url),
          el("td", status, cls),
          el("td", fmtInt(r.size), "num"),
          el("td", fmtInt(r.pixels), "num"),
          el(
            "td",
            r.processing_duration === null ? UNKNOWN : fmtFixed(r.processing_duration, 2),
            "num",
          ),
        );
        body.append(tr);
      }
      const counts = this.#last?.jobStatusCounts ?? {};
      const parts = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ");
      setText(
        "jobs-note",
        `Showing ${page.rows.length} of ${page.matched} matching${
          page.sortedAmong !== undefined
            ? `, sorted among the newest ${page.sortedAmong} (filter by status to narrow)`
            : ""
        } (${page.total} jobs: ${parts}).`,
      );
    } catch {
      // The next snapshot retries.
    } finally {
      this.#jobsBusy = false;
    }
  }

  async #refreshLogs(): Promise<void> {
    if (this.#logsBusy) return;
    this.#logsBusy = true;
    try {
      const tail = await getJson<LogTail>(`/api/logs?lines=${LOG_LINES}`);
      const view = byId<HTMLPreElement>("log-view");
      const atBottom = view.scrollTop + view.clientHeight >= view.scrollHeight - 8;
      view.textContent = tail.lines.join("\n");
      if (atBottom) view.scrollTop = view.scrollHeight;
      setText(
        "logs-note",
        tail.size === 0
          ? "No log yet: job_log.log is written once a run starts."
          : `${tail.truncated ? `The last ${tail.lines.length} lines` : "All"} of job_log.log (${
            fmtBytes(tail.size)
          }); the whole file is under Downloads.`,
      );
    } catch {
      // The next snapshot retries.
    } finally {
      this.#logsBusy = false;
    }
  }

  #setSort(key: string): void {
    if (this.#jobQuery.sort === key) {
      this.#jobQuery.dir = this.#jobQuery.dir === "desc" ? "asc" : "desc";
    } else {
      this.#jobQuery.sort = key;
      this.#jobQuery.dir = "desc";
    }
    for (const th of document.querySelectorAll<HTMLElement>("#jobs-table th[data-sort]")) {
      if (th.dataset.sort === this.#jobQuery.sort) {
        th.setAttribute("aria-sort", this.#jobQuery.dir === "asc" ? "ascending" : "descending");
      } else th.removeAttribute("aria-sort");
    }
    void this.#refreshJobs();
  }

  // ---- controls ----

  #showError(message: string): void {
    const banner = byId("banner-error");
    banner.textContent = message;
    banner.hidden = message === "";
  }

  async #stop(mode: StopMode): Promise<void> {
    try {
      await postJson("/api/stop", { mode });
    } catch (error) {
      this.#showError((error as Error).message);
    }
  }

  async #submitStart(): Promise<void> {
    const form = this.#form;
    if (form === undefined) {
      this.#showError("The form's settings did not load: reload the page");
      return;
    }
    const button = byId<HTMLButtonElement>("btn-start");
    button.disabled = true;
    try {
      await postJson("/api/start", form.values());
      this.#wantStartForm = false;
      form.clearErrors();
      this.#showError("");
      byId("start-panel").hidden = true;
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(String(error), 0);
      form.showError(e.message, e.field);
      form.focusError();
      button.disabled = false;
    }
  }

  #wire(): void {
    for (const tab of document.querySelectorAll<HTMLElement>(".tabs [data-tab]")) {
      tab.addEventListener("click", () => this.#selectTab(tab.dataset.tab as Tab));
    }
    for (const th of document.querySelectorAll<HTMLElement>("#jobs-table th[data-sort]")) {
      th.addEventListener("click", () => this.#setSort(th.dataset.sort ?? "start_time"));
    }
    byId<HTMLSelectElement>("job-status").addEventListener("change", (event) => {
      this.#jobQuery.status = (event.target as HTMLSelectElement).value;
      void this.#refreshJobs();
    });
    byId<HTMLFormElement>("start-form").addEventListener("submit", (event) => {
      event.preventDefault();
      void this.#submitStart();
    });
    byId("btn-edit").addEventListener("click", () => {
      this.#editingUsers = true;
      byId<HTMLInputElement>("u-users").value = String(this.#last?.users ?? 1);
      const spawn = byId<HTMLInputElement>("u-spawn");
      if (!spawn.value) spawn.value = String(this.#form?.values().spawnRate ?? "1");
      byId("users-panel").hidden = false;
      byId("u-users").focus();
    });
    byId("btn-cancel-users").addEventListener("click", () => {
      this.#editingUsers = false;
      byId("users-panel").hidden = true;
    });
    byId<HTMLFormElement>("users-form").addEventListener("submit", (event) => {
      event.preventDefault();
      postJson("/api/users", {
        users: byId<HTMLInputElement>("u-users").value,
        spawnRate: byId<HTMLInputElement>("u-spawn").value,
      }).then(() => {
        this.#editingUsers = false;
        byId("users-panel").hidden = true;
        this.#showError("");
      }).catch((error: Error) => this.#showError(error.message));
    });
    byId("btn-stop-wait").addEventListener("click", () => void this.#stop("wait"));
    byId("btn-stop-now").addEventListener("click", () => void this.#stop("now"));
    byId("btn-reset").addEventListener("click", () => {
      postJson("/api/reset").catch((error: Error) => this.#showError(error.message));
    });
    byId("btn-new").addEventListener("click", async () => {
      this.#wantStartForm = true;
      if (this.#last) this.#renderControls(this.#last);
      try {
        // The server keeps the last start's values: "New test" starts from them (also after a
        // reload of the page).
        const config = await getJson<ConfigBody>("/api/config");
        this.#form?.fill(config.form);
      } catch (error) {
        this.#showError(`Could not load the settings: ${(error as Error).message}`);
      }
    });
  }
}

/**
 * Start the live page: build the form and charts, wire the controls, follow the feed.
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { startLiveApp } from "./live_app.ts";
 * startLiveApp();
 * ```
 */
export function startLiveApp(): void {
  void new LiveApp().start();
}
