/**
 * The HTML report: escaping of outside strings, the thresholds table at the
 * top, and a real headless Chromium opening it offline with no console errors,
 * no dialogs, tables with the run's numbers and the web UI's charts (one per
 * kind of number, drawn by the same bundle as the live page).
 */

import assert from "node:assert/strict";
import { launchChromium } from "./browser_test_support.ts";
import {
  createHtmlReportOutput,
  MAX_REPORT_POINTS,
  renderHtmlReport,
  thinTimeline,
} from "../mod/output/html_report.ts";
import { StatsAggregator } from "../mod/stats/aggregator.ts";
import { parseThreshold, type ThresholdResult } from "../mod/stats/thresholds.ts";
import type { OutputContext } from "../mod/output/output.ts";
import type { CapacityStep, TimelinePoint } from "../mod/model/run_report.ts";
import { FRONTEND_JS } from "../mod/frontend/frontend_bundle.ts";
import { aggregate, context, START, timeline } from "./stats_fixture.ts";

const EVIL = "<img src=x onerror=alert(1)>.tif";

/** The fixture's timeline with the per-kind numbers the engine adds (job latency in minutes). */
function points(): TimelinePoint[] {
  return timeline().map((p, i) => ({
    ...p,
    submitRps: 1 + i / 10,
    submitFps: 0,
    submitP50: 12 + i,
    submitP95: 40 + i,
    submitP99: 55 + i,
    jobP50: i < 2 ? null : 150_000 + i * 1000,
    jobP95: i < 2 ? null : 240_000 + i * 1000,
    queueDepth: i === 4 ? null as unknown as number : 7,
  }));
}

function evilContext(withThresholds = true): OutputContext {
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
  const ctx = context(stats, {
    configuration: [["Input bucket", EVIL], ["Model", "centerpoint"]],
    capacity,
    points: points(),
  });
  if (!withThresholds) return ctx;
  // Verdicts as the engine hands them over (a NaN value: it could not be measured).
  const results: ThresholdResult[] = [
    [`Submit Image:p95<100000`, 16000, true],
    ["fail_ratio<0.01", 0.25, false],
    [`${EVIL}:centerpoint:p95<1`, 35, false],
    ["Nothing Here:p95<5", NaN, false],
  ].map(([expression, actual, passed]) => ({
    threshold: parseThreshold(expression as string),
    actual: actual as number,
    passed: passed as boolean,
    message: `${passed ? "PASS" : "FAIL"} ${expression}`,
  }));
  return { ...ctx, thresholds: () => results };
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
  // The report runs the live page's bundle, whole, in one element.
  const scripts = [...html.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1] ?? "");
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0], FRONTEND_JS.replace(/<\/(script)/gi, "<\\/$1"));
});

Deno.test("html report: thresholds at the top, red and green, with observed values or no data", () => {
  const html = renderHtmlReport(evilContext());
  const top = html.indexOf('id="thresholds"');
  assert.ok(top > 0 && top < html.indexOf('id="configuration"'), "before everything else");
  const rows = [
    ...html.matchAll(
      /<tr class="(pass|fail)"><td><code>(.*?)<\/code><\/td><td>(.*?)<\/td><td class="verdict">(.*?)<\/td><\/tr>/g,
    ),
  ]
    .map((m) => [m[1], m[2], m[3], m[4]]);
  assert.deepEqual(rows, [
    ["pass", "Submit Image:p95&lt;100000", "16000", "pass"],
    ["fail", "fail_ratio&lt;0.01", "0.25", "fail"],
    ["fail", "&lt;img src=x onerror=alert(1)&gt;.tif:centerpoint:p95&lt;1", "35", "fail"],
    ["fail", "Nothing Here:p95&lt;5", "no data", "fail"],
  ]);
  assert.match(html, /3 of 4 thresholds failed/);
  const none = renderHtmlReport(evilContext(false));
  assert.match(none, /No thresholds were set/);
  assert.ok(!none.includes('id="thresholds"'));
});

Deno.test("html report: a long run's timeline is thinned to a bounded number of points", () => {
  const long = Array.from({ length: 50_000 }, (_, i) => ({ ...points()[0]!, t: START + i * 1000 }));
  const thin = thinTimeline(long);
  assert.equal(thin.length, MAX_REPORT_POINTS);
  assert.equal(thin[0]!.t, long[0]!.t);
  assert.equal(thin.at(-1)!.t, long.at(-1)!.t);
  assert.equal(thinTimeline(points()).length, 9, "short timelines are kept whole");
});

Deno.test("html report: opens offline in headless Chromium with thresholds, tables, charts per kind of number and no errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml_html_" });
  const browser = await launchChromium(dir);
  try {
    const path = `${dir}/out/report.html`;
    await createHtmlReportOutput({ path }).finish(evilContext());
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
    await page.locator("canvas").nth(8).waitFor();

    assert.deepEqual(errors, []);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(requests, []);
    // 7 timeline charts + 2 capacity charts.
    assert.equal(await page.locator("#charts .uplot").count(), 9);
    const titles = await page.locator("#charts figcaption").allTextContents();
    assert.deepEqual(titles.map((t) => t.split(" (")[0]), [
      "Submissions/s",
      "Submission latency",
      "Job latency",
      "Jobs completed by status",
      "Jobs in flight and request-queue backlog",
      "Users",
      "Volume processed",
      "Capacity search: rate per step",
      "Capacity search: job latency p95 and backlog per step",
    ]);
    // Units on their own axes: ms for sends, minutes for these jobs, messages for the backlog.
    const unitOf = (id: string, attr = "data-unit") => page.getAttribute(`#${id}`, attr);
    assert.equal(await unitOf("chart-submit-latency"), "ms");
    assert.equal(await unitOf("chart-job-latency"), "min");
    assert.equal(await unitOf("chart-backlog"), "jobs");
    assert.equal(await unitOf("chart-backlog", "data-right-unit"), "messages");

    const verdicts = await page.locator("#thresholds tbody tr").evaluateAll((rows) =>
      rows.map((r) => {
        const row = r as unknown as { className: string; textContent: string };
        return `${row.className}`;
      })
    );
    assert.deepEqual(verdicts, ["pass", "fail", "fail", "fail"]);
    const aggregated = await page.locator("#stats tbody tr").last().locator("td").allInnerTexts();
    assert.deepEqual(aggregated.slice(0, 5), ["", "Aggregated", "15", "4", "140"]);
    const names = await page.locator("#stats tbody tr td:nth-child(2)").allInnerTexts();
    assert.ok(names.includes(`${EVIL}:centerpoint`), "the name shows as text");
    const jobs = await page.locator("#jobs").innerText();
    assert.match(jobs, /Images sent\s+12/);
    assert.equal(await page.locator("#failures tbody tr").count(), 3);
    assert.match(await page.locator("#exceptions").innerText(), /ValueError: boom, again/);
    assert.match(await page.locator("#capacity").innerText(), /backlog/);
    await page.close();
  } finally {
    await browser.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("html report: an empty run still renders (no requests, no timeline)", () => {
  const html = renderHtmlReport(context(new StatsAggregator(START), { points: [] }));
  assert.match(html, /<td>Aggregated<\/td><td>0<\/td><td>0<\/td>/);
  assert.match(html, /"timeline":\[\]/);
});
