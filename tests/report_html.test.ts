/**
 * The HTML report: escaping of outside strings, and a real headless Chromium
 * opening it offline with no console errors, no dialogs, tables with the
 * run's numbers and rendered charts.
 */

import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { createHtmlReportOutput, renderHtmlReport } from "../mod/output/html_report.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import type { CapacityStep } from "../mod/output/run_report.ts";
import { aggregate, context, START } from "./stats_fixture.ts";

const EVIL = "<img src=x onerror=alert(1)>.tif";

function evilContext() {
  const stats = aggregate();
  stats.record({
    type: "Submit Image",
    name: `${EVIL}:centerpoint`,
    responseTimeMs: 33,
    length: 7,
    at: START + 8000,
    error: `</script><script>alert(2)</script>`,
  });
  const capacity: CapacityStep[] = [
    {
      step: 1,
      targetRate: 0.5,
      achievedRate: 0.5,
      backlogStart: 0,
      backlogEnd: 1,
      latencyP95Ms: 60000,
      failRatio: 0,
      verdict: "ok",
    },
    {
      step: 2,
      targetRate: 1,
      achievedRate: 0.9,
      backlogStart: 1,
      backlogEnd: 9,
      latencyP95Ms: null,
      failRatio: 0.1,
      verdict: "backlog",
    },
  ];
  return context(stats, {
    configuration: [["Input bucket", EVIL], ["Model", "centerpoint"]],
    capacity,
  });
}

Deno.test("html report: strings from outside are escaped, data is embedded as JSON with < escaped", () => {
  const html = renderHtmlReport(evilContext());
  assert.ok(!html.includes(EVIL), "raw <img> must not appear");
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;.tif"));
  assert.ok(!html.includes("<script>alert(2)"), "error text is escaped");
  assert.ok(html.includes("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
  const json =
    /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? "";
  assert.ok(json.length > 0 && !json.includes("<"));
  assert.ok(!/(src|href)=["']?https?:/i.test(html), "no network resources");
});

Deno.test("html report: opens offline in headless Chromium with tables, charts and no errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_html_" });
  const previousTmp = Deno.env.get("TMPDIR");
  Deno.env.set("TMPDIR", dir);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const path = `${dir}/out/report.html`;
    await createHtmlReportOutput({ path }).finish(evilContext());
    const page = await browser.newPage();
    const errors: string[] = [];
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) requests.push(r.url());
    });
    await page.goto(`file://${path}`);
    await page.locator("canvas").nth(7).waitFor();

    assert.deepEqual(errors, []);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(requests, []);
    // 7 timeline charts + the capacity chart.
    assert.equal(await page.locator(".uplot").count(), 8);

    const aggregated = await page.locator("#stats tbody tr").last().locator("td").allInnerTexts();
    assert.deepEqual(aggregated.slice(0, 5), ["", "Aggregated", "15", "4", "140"]);
    const names = await page.locator("#stats tbody tr td:nth-child(2)").allInnerTexts();
    assert.ok(names.includes(`${EVIL}:centerpoint`), "the name shows as text");
    const jobs = await page.locator("#jobs").innerText();
    assert.match(jobs, /Images sent\s+12/);
    const failures = await page.locator("#failures tbody tr").count();
    assert.equal(failures, 3);
    assert.match(await page.locator("#exceptions").innerText(), /ValueError: boom, again/);
    assert.match(await page.locator("#capacity").innerText(), /backlog/);
    await page.close();
  } finally {
    await browser.close();
    if (previousTmp === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", previousTmp);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("html report: an empty run still renders (no requests, no timeline)", () => {
  const html = renderHtmlReport(context(new StatsAggregator(START), { points: [] }));
  assert.match(html, /<td>Aggregated<\/td><td>0<\/td><td>0<\/td>/);
});
