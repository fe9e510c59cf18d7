/**
 * The web UI in headless Chromium. Against the simulator with the real engine:
 * start from the form, watch the table, charts and logs fill, change users,
 * stop and wait for the jobs, stop now (open jobs shown as not waited for),
 * "New test" with the last values, downloads, hostile image names shown as
 * text, and the layouts at 1280 and 390 px. Without a run: the start form's
 * inline validation.
 *
 * Set OSML_LOAD_SCREENSHOTS=1 to (re)write docs/web-ui-1280x800.png and
 * docs/web-ui-390x844.png.
 */
import assert from "node:assert/strict";
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { Page } from "playwright-core";
import { launchChromium } from "./browser_test_support.ts";
import { webRunCommand } from "../mod/commands/web_run.ts";
import { startWebServer, type WebServer } from "../mod/web/web_server.ts";
import { WebSession } from "../mod/web/web_session.ts";
import type { Simulator, SimulatorOptions } from "../mod/sim/simulator.ts";
import { withSimulator } from "./engine_test_support.ts";
import { STOCK_NAMES } from "../mod/sim/model_runner/seed.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import type { OutputContext } from "../mod/output/output.ts";

const XSS_NAME = "<img src=x onerror=alert(1)>.tif";
const SCREENSHOTS = Deno.env.get("OSML_LOAD_SCREENSHOTS") === "1";

/** The little of the browser's DOM the page functions below use (tests type-check without lib.dom). */
interface DomElement {
  textContent: string | null;
  value?: string;
  hidden?: boolean;
  scrollWidth: number;
  clientWidth: number;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  getBoundingClientRect(): { left: number; right: number; width: number };
}
interface Dom {
  document: {
    getElementById(id: string): DomElement | null;
    querySelector(selector: string): DomElement | null;
    documentElement: { scrollWidth: number; clientWidth: number };
  };
  getComputedStyle(element: DomElement): { position: string; overflowX: string };
}

/**
 * Every wait below is for a condition, never for a time: a busy machine (load average 6, or
 * the suite run with --parallel) only makes them take longer. This is how long, at most.
 */
const WAIT_MS = 90_000;

/** Wait until the element `id` shows `value` (exactly, or matching a RegExp). */
function waitText(page: Page, id: string, value: string | RegExp, timeout = WAIT_MS) {
  const want = typeof value === "string" ? { text: value } : { re: value.source };
  return page.waitForFunction(
    ([elementId, w]) => {
      const shown = (globalThis as unknown as Dom).document.getElementById(elementId)
        ?.textContent ?? "";
      return w.text !== undefined ? shown === w.text : new RegExp(w.re ?? "").test(shown);
    },
    [id, want as { text?: string; re?: string }] as const,
    { timeout },
  );
}

/** The job statistics box labelled `label`, as a number (NaN when absent). */
async function jobStat(page: Page, label: string): Promise<number> {
  const box = page.locator("#job-stats div", { has: page.locator("dt", { hasText: label }) });
  if (await box.count() === 0) return NaN;
  return Number((await box.first().locator("dd").textContent() ?? "").replaceAll(",", ""));
}

async function waitJobStat(page: Page, label: string, ok: (n: number) => boolean) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const n = await jobStat(page, label);
    if (ok(n)) return n;
    if (Date.now() > deadline) throw new Error(`${label} stayed at ${n}`);
    await page.waitForTimeout(200);
  }
}

/**
 * Wait until the page has laid itself out at `width`: the viewport applied, then two animation
 * frames, so the charts' ResizeObserver callbacks (which resize them) have run.
 */
async function layoutSettled(page: Page, width: number): Promise<void> {
  await page.waitForFunction(
    (w) => (globalThis as unknown as Dom).document.documentElement.clientWidth <= w,
    width,
  );
  await page.evaluate(() =>
    new Promise<void>((resolve) => {
      const g = globalThis as unknown as { requestAnimationFrame(f: () => void): void };
      g.requestAnimationFrame(() => g.requestAnimationFrame(() => resolve()));
    })
  );
}

/**
 * Stop the simulated Model Runner from taking jobs (workers 0; a worker ends after its job) and
 * wait until none is processing and one waits in the request queue: from then on every job sent
 * stays in flight until the test sets the workers again. (A waiting receive would have taken a
 * queued message at once, so a queued message means no worker is left.)
 */
async function holdJobs(sim: Simulator): Promise<void> {
  const runner = sim.modelRunner!;
  runner.setOptions({ workers: 0 });
  const queue = sim.state.queue(STOCK_NAMES.requestQueue);
  const deadline = Date.now() + WAIT_MS;
  while (runner.counters.inProgress > 0 || queue.counts().visible === 0) {
    if (Date.now() > deadline) throw new Error("the Model Runner did not let go of its jobs");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The web UI (`run` without `--headless`) against a simulator, in Chromium at 1280×800;
 * `fn` gets the page. Page errors and dialogs fail the test.
 */
function withWebUi(
  simOptions: SimulatorOptions,
  flags: Record<string, string>,
  fn: (page: Page, server: WebServer, sim: Simulator, dir: string) => Promise<void>,
  prepare?: (sim: Simulator) => Promise<void>,
): Promise<void> {
  return withSimulator(simOptions, async (sim, dir) => {
    await prepare?.(sim);
    const browser = await launchChromium(dir);
    const stopServer = new AbortController();
    const listening = Promise.withResolvers<WebServer>();
    const served = webRunCommand({
      sourceBucket: `s3://${sim.seeded!.imageBucket}`,
      resultBucket: `s3://${sim.seeded!.resultBucket}`,
      users: "2",
      spawnRate: "10",
      runTime: "2m",
      waitMin: "0.2",
      waitMax: "0.4",
      logDir: `${dir}/logs`,
      statsInterval: "1",
      webHost: "127.0.0.1",
      webPort: "0",
      ...flags,
    }, {
      env: sim.env,
      notice: () => {},
      log: () => {},
      signal: stopServer.signal,
      onListening: (s) => listening.resolve(s),
    });
    served.catch((e) => listening.reject(e));
    try {
      const server = await listening.promise;
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        acceptDownloads: true,
      });
      context.setDefaultTimeout(WAIT_MS);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("dialog", (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      await page.goto(server.url);
      await fn(page, server, sim, dir);
      assert.deepEqual(problems, [], "no dialog, no script error");
      await context.close();
    } finally {
      await browser.close();
      stopServer.abort();
      await served.catch(() => {});
    }
  });
}

Deno.test({
  name:
    "web UI: start from the form, live table, charts per kind of number and logs, users, stop now, downloads, layouts",
  sanitizeResources: true,
  sanitizeOps: true,
  fn: () =>
    withWebUi(
      { modelRunner: { workers: 4, fixedMs: 50, msPerMegapixel: 0.5 } },
      { sourceBucket: "s3://hostile-names" },
      async (page, server, _sim, dir) => {
        // The form is prefilled from the command line.
        await page.waitForFunction(() =>
          (globalThis as unknown as Dom).document.getElementById("f-users")?.value === "2"
        );
        assert.equal(await page.inputValue("#f-runTime"), "2m");
        assert.equal(await page.inputValue("#f-modelName"), "centerpoint");
        assert.equal(await page.inputValue("#f-shape"), "window");
        assert.equal(await page.isVisible("#f-stages"), false, "stages only for the stages shape");
        await page.fill("#f-users", "3");
        await page.click("#btn-start");

        // The stats table and the charts fill.
        await page.waitForSelector("#stats-table tbody tr");
        await waitText(page, "m-users", "3");
        await page.waitForFunction(
          () =>
            Number(
              (globalThis as unknown as Dom).document.getElementById("chart-submissions")
                ?.getAttribute("data-points"),
            ) >= 3,
        );
        assert.equal(await page.locator("#charts .uplot").count(), 7, "seven charts");
        const titles = await page.locator("#charts figcaption").allTextContents();
        assert.ok(titles.some((t) => /Submission latency.*ms/.test(t)), titles.join(" | "));
        assert.ok(titles.some((t) => /Job latency/.test(t)));
        assert.ok(titles.some((t) => /backlog/.test(t)));
        assert.match(
          await page.locator("#stats-table tfoot td.col-name").textContent() ?? "",
          /Aggregated/,
        );
        // Requests counted (the Aggregated row's third cell).
        await page.waitForFunction(() =>
          Number(
            ((globalThis as unknown as Dom).document.querySelector(
              "#stats-table tfoot td:nth-child(3)",
            )?.textContent ?? "").replaceAll(",", ""),
          ) > 0
        );
        // Job latency is drawn in seconds (jobs of ~0.1 s), never on the milliseconds axis.
        await page.waitForFunction(() => {
          const fig = (globalThis as unknown as Dom).document.getElementById("chart-job-latency");
          return fig?.getAttribute("data-unit") === "s";
        });

        // The hostile image name is text, not markup.
        await page.locator("#stats-table tbody td", { hasText: XSS_NAME }).first().waitFor();
        assert.equal(await page.locator("main img").count(), 0, "no <img> was created");

        // Change the user count while it runs.
        await page.click("#btn-edit");
        await page.fill("#u-users", "5");
        await page.fill("#u-spawn", "10");
        await page.click("#btn-apply");
        await waitText(page, "m-users", "5");
        assert.match(await page.locator("#mix-table tbody").innerText(), /load-test\s+100%\s+5/);

        // The Logs tab tails job_log.log while the run goes.
        await page.click('[data-tab="logs"]');
        await waitText(page, "log-view", /Load test start time/);
        await waitText(page, "logs-note", /job_log\.log/);
        await page.click('[data-tab="jobs"]');
        await waitText(page, "jobs-note", /^Showing/);
        await page.click('[data-tab="dashboard"]');

        if (SCREENSHOTS) {
          await page.waitForTimeout(12_000);
          await page.screenshot({ path: "docs/web-ui-1280x800.png" });
        }
        // 1280 px: the statistics table fits; the page does not scroll sideways.
        const wide = await page.evaluate(() => {
          const wrap = (globalThis as unknown as Dom).document.getElementById("stats-wrap")!;
          return {
            page: (globalThis as unknown as Dom).document.documentElement.scrollWidth,
            table: wrap.scrollWidth,
            box: wrap.clientWidth,
          };
        });
        assert.ok(wide.page <= 1280, `no page-wide horizontal scroll at 1280 px (${wide.page})`);
        assert.ok(
          wide.table <= wide.box,
          `the table fits its box at 1280 px (${wide.table} > ${wide.box})`,
        );

        // 390 px: the tab bar scrolls, the table scrolls sideways with the name column fixed.
        await page.setViewportSize({ width: 390, height: 844 });
        await layoutSettled(page, 390);
        if (SCREENSHOTS) await page.screenshot({ path: "docs/web-ui-390x844.png" });
        const narrow = await page.evaluate(() => {
          const d = (globalThis as unknown as Dom).document;
          const tabs = d.querySelector(".tabs")!;
          const wrap = d.getElementById("stats-wrap")!;
          const name = d.querySelector("#stats-table tbody td.col-name")!;
          return {
            page: d.documentElement.scrollWidth,
            tabs: [
              tabs.scrollWidth,
              tabs.clientWidth,
              (globalThis as unknown as Dom).getComputedStyle(tabs).overflowX,
            ],
            table: [wrap.scrollWidth, wrap.clientWidth],
            namePosition: (globalThis as unknown as Dom).getComputedStyle(name).position,
          };
        });
        assert.ok(narrow.page <= 390, `no page-wide horizontal scroll at 390 px (${narrow.page})`);
        assert.ok(
          Number(narrow.tabs[0]) > Number(narrow.tabs[1]),
          "the tab bar is wider than the screen",
        );
        assert.equal(narrow.tabs[2], "auto", "the tab bar scrolls");
        assert.ok(
          Number(narrow.table[0]) > Number(narrow.table[1]),
          "the table scrolls in its box",
        );
        assert.equal(narrow.namePosition, "sticky", "the name column stays in place");
        // Scroll the table: the name column stays at the box's left edge.
        const before = await page.locator("#stats-table tbody td.col-name").first().boundingBox();
        await page.locator("#stats-wrap").evaluate((el) => {
          (el as unknown as { scrollLeft: number }).scrollLeft = 400;
        });
        const after = await page.locator("#stats-table tbody td.col-name").first().boundingBox();
        assert.equal(Math.round(after!.x), Math.round(before!.x), "name column fixed");
        await page.setViewportSize({ width: 1280, height: 800 });

        // Stop now; the results stay and the downloads work, the log among them.
        await page.click("#btn-stop-now");
        await waitText(page, "m-state", "finished");
        assert.ok(await page.locator("#stats-table tbody tr").count() > 0, "results stay");
        assert.equal(await page.isVisible("#btn-new"), true);
        await page.click('[data-tab="downloads"]');
        await page.waitForFunction(() =>
          (globalThis as unknown as Dom).document.querySelector('[data-download="job_log.log"]')
            ?.getAttribute("aria-disabled") === "false"
        );
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.click('[data-download="stats.csv"]'),
        ]);
        const saved = `${dir}/stats.csv`;
        await download.saveAs(saved);
        const csv = await Deno.readTextFile(saved);
        assert.ok(csv.startsWith("Type,Name,Request Count,Failure Count,"), csv.slice(0, 80));
        assert.ok(csv.includes(XSS_NAME), "the CSV has the image's real name");
        for (
          const name of [
            "stats_history.csv",
            "failures.csv",
            "exceptions.csv",
            "report.html",
            "job_status.json",
            "job_summary.json",
            "job_log.log",
          ]
        ) {
          const res: Response = await fetch(`${server.url}api/download/${name}`);
          assert.equal(res.status, 200, name);
          const body = await res.text();
          if (name === "report.html") assert.ok(!body.includes(XSS_NAME), "escaped in the report");
          if (name === "job_summary.json") assert.ok("total_image_sent" in JSON.parse(body));
          if (name === "job_log.log") assert.match(body, /Load test start time/);
        }
      },
      async (sim) => {
        // A bucket whose images have hostile names (the seeded sample bytes, so headers parse).
        const s3 = new S3Client({
          endpoint: sim.endpoint,
          region: sim.region,
          forcePathStyle: true,
          credentials: { accessKeyId: "test", secretAccessKey: "test" },
        });
        const sample = await s3.send(
          new GetObjectCommand({ Bucket: sim.seeded!.imageBucket, Key: "small.tif" }),
        );
        const bytes = await sample.Body!.transformToByteArray();
        await s3.send(new CreateBucketCommand({ Bucket: "hostile-names" }));
        await s3.send(
          new PutObjectCommand({ Bucket: "hostile-names", Key: XSS_NAME, Body: bytes }),
        );
        s3.destroy();
      },
    ),
});

Deno.test({
  name:
    "web UI: stop and wait lets the jobs in flight finish; New test keeps the values; stop now leaves open jobs as not waited for",
  sanitizeResources: true,
  sanitizeOps: true,
  fn: () =>
    withWebUi(
      { modelRunner: { workers: 8, fixedMs: 2500, msPerMegapixel: 0 } },
      { users: "1", waitMin: "0.3", waitMax: "0.4", completionTimeout: "90s" },
      async (page, _server, sim) => {
        await page.waitForFunction(() =>
          (globalThis as unknown as Dom).document.getElementById("f-users")?.value === "1"
        );
        // Not ticked: "stop and wait" waits by itself (bounded by the completion timeout).
        assert.equal(await page.isChecked("#f-waitForCompletion"), false);
        await page.fill("#f-completionTimeout", "75s");
        await page.click("#btn-start");
        await waitText(page, "m-state", "running");
        // Jobs are in flight (each takes 2.5 s in the simulated Model Runner).
        await waitJobStat(page, "In progress", (n) => n >= 2);
        // Hold the jobs until the page has shown the wait: the Model Runner takes no new job
        // (those it has finish), so the jobs sent from now on wait in the request queue. Without
        // this the wait lasted at most 2.5 s, and a busy machine could miss it (no snapshot in time).
        await holdJobs(sim);

        await page.click("#btn-stop-wait");
        await waitText(page, "banner-drain", /Waiting for \d+ job\(s\) in flight/);
        assert.equal(await page.isVisible("#btn-stop-now"), true, "stop now can end the wait");
        assert.equal(await page.isVisible("#btn-stop-wait"), false);
        sim.modelRunner!.setOptions({ workers: 8 });
        await waitText(page, "m-state", "finished");
        // Every job was waited for: none in flight, none unknown, processed = sent.
        assert.equal(await jobStat(page, "In progress"), 0);
        assert.ok(Number.isNaN(await jobStat(page, "Not waited for (unknown)")));
        const sent = await jobStat(page, "Images sent");
        assert.ok(sent >= 2);
        assert.equal(await jobStat(page, "Processed"), sent, "every sent job ended");
        assert.equal(await page.isVisible("#banner-drain"), false);

        // New test: the form keeps the last start's values.
        await page.click("#btn-new");
        await page.waitForSelector("#start-panel", { state: "visible" });
        assert.equal(await page.inputValue("#f-completionTimeout"), "75s");
        assert.equal(await page.inputValue("#f-users"), "1");

        // Stop now with slow jobs in flight: they end the run as "not waited for", not "in progress".
        sim.modelRunner?.setOptions({ fixedMs: 120_000 });
        // Even with waiting asked for, "stop now" does not wait.
        await page.check("#f-waitForCompletion");
        await page.click("#btn-start");
        await waitText(page, "m-state", "running");
        await waitJobStat(page, "In progress", (n) => n >= 2);
        await page.click("#btn-stop-now");
        await waitText(page, "m-state", "finished");
        const unknown = await waitJobStat(page, "Not waited for (unknown)", (n) => n >= 2);
        assert.ok(Number.isNaN(await jobStat(page, "In progress")), "no job stays “In progress”");
        await waitText(page, "banner-drain", new RegExp(`${unknown} job\\(s\\).*not waited for`));
        await page.click('[data-tab="jobs"]');
        await waitText(page, "jobs-note", /^Showing/);
        assert.ok(
          await page.locator("#jobs-table td.status-unknown", { hasText: "not waited for" })
            .count() >= 2,
        );
      },
    ),
});

Deno.test({
  name:
    "web UI: the start form validates inline with the CLI's rules (a bad run time is shown next to the field, nothing starts)",
  sanitizeResources: true,
  sanitizeOps: true,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "osml-load-form-" });
    const session = new WebSession({
      flags: { sourceBucket: "s3://images", resultBucket: "s3://results" },
      env: {},
      write: () => {},
    });
    const server = startWebServer({ session, hostname: "127.0.0.1", port: 0 });
    const browser = await launchChromium(dir);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.waitForFunction(() =>
        (globalThis as unknown as Dom).document.getElementById("f-runTime")?.value === "1m"
      );

      // A bad run time: the CLI's message next to the field as soon as it changes.
      await page.fill("#f-runTime", "abc");
      await page.locator("#f-runTime").blur();
      await waitText(page, "e-runTime", /--run-time "abc" is not a duration/);
      assert.equal(await page.getAttribute("#f-runTime", "aria-invalid"), "true");
      // Start shows it too, and nothing starts.
      await page.click("#btn-start");
      await waitText(page, "e-runTime", /--run-time/);
      assert.equal(session.state, "idle");
      assert.equal(await page.isEnabled("#btn-start"), true, "Start can be pressed again");
      // Fixing it clears the message.
      await page.fill("#f-runTime", "90s");
      await page.locator("#f-runTime").blur();
      await page.waitForFunction(() =>
        (globalThis as unknown as Dom).document.getElementById("e-runTime")?.hidden === true
      );

      // Shape fields follow the shape; their messages land next to them.
      await page.selectOption("#f-shape", "rate");
      assert.equal(await page.isVisible("#f-rate"), true);
      assert.equal(await page.isVisible("#f-stages"), false);
      await page.fill("#f-rate", "fast");
      await page.locator("#f-rate").blur();
      await waitText(page, "e-rate", /--rate/);
      await page.fill("#f-rate", "2/s");
      await page.locator("#f-rate").blur();
      await page.waitForFunction(() =>
        (globalThis as unknown as Dom).document.getElementById("e-rate")?.hidden === true
      );
      await page.fill("#f-threshold", "Submit Image:p95<500\nnonsense");
      await page.locator("#f-threshold").blur();
      await waitText(page, "e-threshold", /threshold/i);
      await page.fill("#f-threshold", "Submit Image:p95<500");
      await page.fill("#f-users", "-3");
      await page.locator("#f-users").blur();
      await waitText(page, "e-users", /--users/);
      assert.equal(session.state, "idle");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "web UI: while the engine waits for jobs after the run time, the page says so and only “Stop now” is offered",
  sanitizeResources: true,
  sanitizeOps: true,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "osml-load-drain-" });
    const stops: string[] = [];
    const ended = Promise.withResolvers<void>();
    let stoppedAt: number | undefined;
    const inFlight = {
      total_image_sent: 5,
      total_image_in_progress: 3,
      total_image_processed: 2,
      total_image_succeeded: 2,
      total_image_failed: 0,
      total_gb_processed: 0,
      total_pixels_processed: 0,
      total_image_partial: 0,
      total_image_timed_out: 0,
    };
    // A stand-in engine that is in its drain phase (sending stopped, 3 jobs in flight).
    const session = new WebSession({
      flags: { sourceBucket: "s3://images", resultBucket: "s3://results", logDir: `${dir}/logs` },
      env: {},
      write: () => {},
      runner: async (_settings, options = {}) => {
        const ctx: OutputContext = {
          stats: new StatsAggregator(),
          userCount: () => 0,
          jobs: () => inFlight,
          timeline: () => [],
          configuration: [],
          startedAt: Date.now(),
          stoppedAt: () => stoppedAt,
          phase: () => stoppedAt === undefined ? "drain" : "finish",
          drainDeadline: () => Date.now() + 90_000,
        };
        for (const output of options.extraOutputs ?? []) await output.start?.(ctx);
        options.onStarted?.({
          setUsers() {},
          stop(mode) {
            stops.push(mode ?? "now");
            if (mode === "now") ended.resolve();
          },
          resetStats() {},
        }, ctx);
        await ended.promise;
        stoppedAt = Date.now();
        for (const output of options.extraOutputs ?? []) await output.finish(ctx);
        return {
          exitCode: 0,
          reason: "window",
          stats: ctx.stats,
          jobs: inFlight,
          files: [],
          prepared: undefined,
          failures: [],
          thresholds: [],
        };
      },
    });
    const server = startWebServer({ session, hostname: "127.0.0.1", port: 0 });
    const browser = await launchChromium(dir);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.waitForFunction(() =>
        (globalThis as unknown as Dom).document.getElementById("f-users")?.value === "1"
      );
      await page.click("#btn-start");
      await waitText(
        page,
        "banner-drain",
        /^The run time ended\. Waiting for 3 job\(s\) in flight, giving up in 1m/,
      );
      assert.equal(await page.isVisible("#btn-stop-wait"), false, "already waiting");
      assert.equal(await page.isVisible("#btn-stop-now"), true);
      await page.click("#btn-stop-now");
      await waitText(page, "m-state", "finished");
      assert.deepEqual(stops, ["now"]);
      await waitText(page, "banner-drain", /3 job\(s\) were still in flight .* not waited for/);
      assert.equal(await jobStat(page, "Not waited for (unknown)"), 3);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
