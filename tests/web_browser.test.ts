/**
 * The web UI in headless Chromium against the simulator: start a run from the
 * form, watch the table and charts fill, change the user count, stop, download
 * the stats CSV; an image named like an HTML tag shows as text.
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
import { chromium, type Page } from "playwright-core";
import { webRunCommand } from "../mod/commands/web_run.ts";
import type { WebServer } from "../mod/web/web_server.ts";
import { withSimulator } from "./engine_test_support.ts";

const XSS_NAME = "<img src=x onerror=alert(1)>.tif";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The little of the browser's DOM the page functions below use (tests type-check without lib.dom). */
interface DomElement {
  textContent: string | null;
  value?: string;
  getAttribute(name: string): string | null;
}
interface Dom {
  document: {
    getElementById(id: string): DomElement | null;
    querySelector(selector: string): DomElement | null;
    documentElement: { scrollWidth: number };
  };
}

/** Wait until the element `id` shows `value` (exactly, or matching a RegExp). */
function waitText(page: Page, id: string, value: string | RegExp): Promise<unknown> {
  const want = typeof value === "string" ? { text: value } : { re: value.source };
  return page.waitForFunction(
    ([elementId, w]) => {
      const shown =
        (globalThis as unknown as Dom).document.getElementById(elementId)?.textContent ??
          "";
      return w.text !== undefined ? shown === w.text : new RegExp(w.re ?? "").test(shown);
    },
    [id, want as { text?: string; re?: string }] as const,
    { timeout: 30_000 },
  );
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? "";
}

Deno.test({
  name:
    "web UI: start from the form, live table and charts, change users, stop, download, escaped names",
  sanitizeResources: true,
  sanitizeOps: true,
  fn: () =>
    withSimulator(
      { modelRunner: { workers: 4, fixedMs: 50, msPerMegapixel: 0.5 } },
      async (sim, dir) => {
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

        const savedTmp = Deno.env.get("TMPDIR");
        const tmp = `${dir}/tmp`;
        await Deno.mkdir(tmp);
        Deno.env.set("TMPDIR", tmp);
        const stopServer = new AbortController();
        let server: WebServer | undefined;
        const listening = Promise.withResolvers<WebServer>();
        const served = webRunCommand({
          sourceBucket: "s3://hostile-names",
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
        }, {
          env: Deno.env.toObject(),
          notice: () => {},
          log: () => {},
          signal: stopServer.signal,
          onListening: (s) => listening.resolve(s),
        });
        served.catch((e) => listening.reject(e));
        const browser = await chromium.launch({
          executablePath: "/usr/bin/chromium",
          args: CHROMIUM_ARGS,
          env: { ...Deno.env.toObject(), TMPDIR: tmp },
        });
        try {
          server = await listening.promise;
          const context = await browser.newContext({
            viewport: { width: 1280, height: 800 },
            acceptDownloads: true,
          });
          const page = await context.newPage();
          const dialogs: string[] = [];
          page.on("dialog", (d) => {
            dialogs.push(d.message());
            void d.dismiss();
          });
          const pageErrors: string[] = [];
          page.on("pageerror", (e) => pageErrors.push(e.message));
          await page.goto(server.url);

          // The form is prefilled from the command line.
          await page.waitForFunction(() =>
            (globalThis as unknown as Dom).document.getElementById("f-users")?.value === "2"
          );
          assert.equal(await page.inputValue("#f-runtime"), "2m");
          assert.equal(await page.inputValue("#f-model"), "centerpoint");
          await page.fill("#f-users", "3");
          await page.click("#btn-start");

          // The stats table and the charts fill.
          await page.waitForSelector("#stats-table tbody tr", { timeout: 20_000 });
          await waitText(page, "m-users", "3");
          await page.waitForFunction(
            () =>
              Number(
                (globalThis as unknown as Dom).document.getElementById("chart-rps")
                  ?.getAttribute("data-points"),
              ) >= 3,
            null,
            { timeout: 20_000 },
          );
          assert.ok(await page.locator(".uplot canvas").count() >= 5, "five uPlot charts");
          assert.match(await text(page, "#stats-table tfoot td:nth-child(2)"), /Aggregated/);
          const requests = Number(
            (await text(page, "#stats-table tfoot td:nth-child(3)")).replaceAll(",", ""),
          );
          assert.ok(requests > 0, "requests counted");

          // The hostile image name is text, not markup.
          const cell = page.locator("#stats-table tbody td", { hasText: XSS_NAME });
          assert.ok(await cell.count() >= 1, "the image name shows as text");
          assert.equal(await page.locator("main img").count(), 0, "no <img> was created");

          // Change the user count while it runs.
          await page.click("#btn-edit");
          await page.fill("#u-users", "5");
          await page.fill("#u-spawn", "10");
          await page.click("#btn-apply");
          await waitText(page, "m-users", "5");

          // The Jobs tab lists live records when the engine exposes them.
          await page.click('[data-tab="jobs"]');
          await waitText(page, "jobs-note", /^Showing/);
          await page.click('[data-tab="dashboard"]');

          if (Deno.env.get("OSML_LOAD_SCREENSHOTS") === "1") {
            await page.waitForTimeout(10_000);
            await page.screenshot({ path: "docs/web-ui-1280x800.png" });
            await page.setViewportSize({ width: 390, height: 844 });
            await page.waitForTimeout(500);
            await page.screenshot({ path: "docs/web-ui-390x844.png" });
            await page.setViewportSize({ width: 1280, height: 800 });
          }

          // Stop; the results stay and the downloads work.
          await page.click("#btn-stop");
          await waitText(page, "m-state", "finished");
          assert.ok(
            await page.locator("#stats-table tbody tr").count() > 0,
            "results stay visible",
          );
          assert.equal(await page.isVisible("#btn-new"), true);
          await page.click('[data-tab="downloads"]');
          await page.waitForFunction(() =>
            (globalThis as unknown as Dom).document.querySelector('[data-download="stats.csv"]')
              ?.getAttribute("aria-disabled") === "false"
          );
          const [download] = await Promise.all([
            page.waitForEvent("download"),
            page.click('[data-download="stats.csv"]'),
          ]);
          const saved = `${dir}/stats.csv`;
          await download.saveAs(saved);
          const csv = await Deno.readTextFile(saved);
          assert.ok(
            csv.startsWith(
              "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\r\n",
            ),
            `stats CSV header: ${csv.slice(0, 120)}`,
          );
          assert.ok(csv.includes(XSS_NAME), "the CSV has the image's real name");
          // Every other download is there too; the HTML report escapes the name.
          for (
            const name of [
              "stats_history.csv",
              "failures.csv",
              "exceptions.csv",
              "report.html",
              "job_status.json",
              "job_summary.json",
            ]
          ) {
            const res: Response = await fetch(`${server.url}api/download/${name}`);
            assert.equal(res.status, 200, name);
            const body = await res.text();
            if (name === "report.html") {
              assert.ok(!body.includes(XSS_NAME), "escaped in the report");
            }
            if (name === "job_summary.json") assert.ok("total_image_sent" in JSON.parse(body));
          }

          // A phone-sized screen shows the same page; the table scrolls inside its box.
          await page.setViewportSize({ width: 390, height: 844 });
          await page.click('[data-tab="dashboard"]');
          const overflow = await page.evaluate(() =>
            (globalThis as unknown as Dom).document.documentElement.scrollWidth
          );
          assert.ok(overflow <= 390, `no page-wide horizontal scroll at 390 px (${overflow})`);

          // The user can start again: a fresh run replaces the results.
          await page.setViewportSize({ width: 1280, height: 800 });
          await page.click("#btn-new");
          assert.equal(await page.isVisible("#start-panel"), true);
          assert.equal(await page.inputValue("#f-users"), "2");
          await page.fill("#f-runtime", "2s");
          await page.click("#btn-start");
          await waitText(page, "m-state", "running");
          await waitText(page, "m-state", "finished");

          assert.deepEqual(dialogs, [], "no dialog fired");
          assert.deepEqual(pageErrors, [], "no script errors");
          await context.close();
        } finally {
          await browser.close();
          stopServer.abort();
          await served.catch(() => {});
          if (savedTmp === undefined) Deno.env.delete("TMPDIR");
          else Deno.env.set("TMPDIR", savedTmp);
        }
      },
    ),
});
