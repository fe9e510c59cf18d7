/**
 * `--junit FILE`: threshold verdicts as JUnit XML, read back by a real XML
 * parser (Chromium's DOMParser), with hostile expressions that need escaping;
 * an empty suite without thresholds; the flag reaches the settings and outputs.
 */

import assert from "node:assert/strict";
import { createJunitReportOutput, JUNIT_SUITE_NAME } from "../mod/output/junit_report.ts";
import { evaluateThresholds, parseThreshold } from "../mod/stats/thresholds.ts";
import type { ThresholdResult } from "../mod/stats/thresholds.ts";
import { thresholdSummary } from "../mod/stats/threshold_summary.ts";
import { resolveRunSettings } from "../mod/config/run_settings.ts";
import { buildOutputs } from "../mod/engine/run_outputs.ts";
import { aggregate, context, JOBS } from "./stats_fixture.ts";
import { launchChromium } from "./browser_test_support.ts";

/** What the parsed document holds (built in the page, from the DOM). */
interface ParsedSuite {
  error: string | null;
  root: string;
  attributes: Record<string, string>;
  cases: {
    name: string;
    classname: string;
    failure: { message: string; type: string; text: string } | null;
    out: string;
  }[];
}

/** Parse each XML text with Chromium's DOMParser (a strict XML 1.0 parser). */
async function parseXml(texts: string[], dir: string): Promise<ParsedSuite[]> {
  const browser = await launchChromium(dir);
  try {
    const page = await browser.newPage();
    return await page.evaluate((xmls: string[]) => {
      // deno-lint-ignore no-explicit-any
      const g = globalThis as any;
      return xmls.map((xml) => {
        const doc = new g.DOMParser().parseFromString(xml, "application/xml");
        const error = doc.getElementsByTagName("parsererror")[0];
        const root = doc.documentElement;
        const attributes: Record<string, string> = {};
        for (const a of root.attributes) attributes[a.name] = a.value;
        // deno-lint-ignore no-explicit-any
        const cases = [...root.getElementsByTagName("testcase")].map((c: any) => {
          const f = c.getElementsByTagName("failure")[0];
          return {
            name: c.getAttribute("name"),
            classname: c.getAttribute("classname"),
            failure: f
              ? {
                message: f.getAttribute("message"),
                type: f.getAttribute("type"),
                text: f.textContent,
              }
              : null,
            out: c.getElementsByTagName("system-out")[0]?.textContent ?? "",
          };
        });
        return { error: error ? error.textContent : null, root: root.tagName, attributes, cases };
      });
    }, texts);
  } finally {
    await browser.close();
  }
}

function result(
  expression: string,
  actual: number,
  passed: boolean,
  reason?: string,
): ThresholdResult {
  return {
    threshold: { expression, metric: "m", comparator: "<", value: 1 },
    actual,
    passed,
    ...(reason === undefined ? {} : { reason }),
    message: "",
  };
}

Deno.test({
  name: "junit: one test case per threshold, failures marked, hostile text escaped, XML valid",
  sanitizeResources: true,
  sanitizeOps: true,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "osml_junit_" });
    try {
      const stats = aggregate();
      const evaluated = evaluateThresholds(
        ["Submit Image:p95<500", "jobs_failed<=3", "Aggregated:count==14"].map(parseThreshold),
        stats,
        JOBS,
      );
      const hostile = `a.tif:"x" & 'y' <z>:p95<5\n\u0007`;
      const results = [
        ...evaluated,
        result(hostile, 620.5, false),
        result(
          "Job Complete:p95<600000",
          NaN,
          false,
          'no "Job Complete" request has a response time',
        ),
      ];
      const ctx = { ...context(stats), thresholds: () => results };
      await createJunitReportOutput({ path: `${dir}/out/junit.xml` }).finish(ctx);
      const emptyCtx = context(stats); // no thresholds() at all
      await createJunitReportOutput({ path: `${dir}/empty.xml` }).finish(emptyCtx);
      const xml = await Deno.readTextFile(`${dir}/out/junit.xml`);
      const empty = await Deno.readTextFile(`${dir}/empty.xml`);
      const [suite, none] = await parseXml([xml, empty], dir);

      assert.equal(suite?.error, null, `well-formed XML:\n${xml}`);
      assert.equal(suite.root, "testsuite");
      assert.equal(suite.attributes.name, JUNIT_SUITE_NAME);
      assert.equal(suite.attributes.tests, "5");
      assert.equal(suite.attributes.failures, "3");
      assert.equal(suite.attributes.errors, "0");
      assert.deepEqual(suite.cases.map((c) => c.name), [
        "Submit Image:p95<500",
        "jobs_failed<=3",
        "Aggregated:count==14",
        // The bell cannot be in XML at all: it becomes U+FFFD; the rest comes back as written.
        `a.tif:"x" & 'y' <z>:p95<5\n\uFFFD`,
        "Job Complete:p95<600000",
      ]);
      assert.ok(suite.cases.every((c) => c.classname === "osml-load.thresholds"));
      assert.deepEqual(suite.cases.map((c) => c.failure !== null), [
        true,
        false,
        false,
        true,
        true,
      ]);
      // Submit Image p95 over 11 requests is 16000 (see stats_thresholds.test.ts).
      assert.equal(suite.cases[0]?.failure?.message, "Submit Image:p95<500 failed: observed 16000");
      assert.equal(suite.cases[0]?.failure?.type, "ThresholdFailed");
      assert.equal(suite.cases[1]?.out, "observed 3");
      assert.equal(suite.cases[3]?.out, "observed 620.5");
      assert.equal(
        suite.cases[4]?.failure?.text,
        `no value: no "Job Complete" request has a response time`,
      );

      assert.equal(none?.error, null, `well-formed XML:\n${empty}`);
      assert.equal(none.root, "testsuite");
      assert.equal(none.attributes.name, JUNIT_SUITE_NAME);
      assert.equal(none.attributes.tests, "0");
      assert.equal(none.attributes.failures, "0");
      assert.deepEqual(none.cases, []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("junit: --junit FILE reaches the settings and adds the output", () => {
  const buckets = { sourceBucket: "s3://images", resultBucket: "s3://results" };
  const settings = resolveRunSettings({ ...buckets, junit: "out/thresholds.xml" }, {});
  assert.equal(settings.junitPath, "out/thresholds.xml");
  const names = buildOutputs(settings, () => {}).map((o) => o.name);
  assert.ok(names.includes("junit"), names.join());
  assert.equal(resolveRunSettings(buckets, {}).junitPath, undefined);
  assert.ok(
    !buildOutputs(resolveRunSettings(buckets, {}), () => {}).some((o) => o.name === "junit"),
  );
});

Deno.test("threshold summary: expression, value and verdict; unknown values are null with a reason", () => {
  const summary = thresholdSummary([
    result("Submit Image:p95<500", 16000, false),
    result("fail_ratio<0.5", 3 / 14, true),
    result("Job Complete:p95<1", NaN, false, "no data yet"),
  ]);
  assert.deepEqual(summary, [
    { expression: "Submit Image:p95<500", value: 16000, passed: false },
    { expression: "fail_ratio<0.5", value: 3 / 14, passed: true },
    { expression: "Job Complete:p95<1", value: null, passed: false, reason: "no data yet" },
  ]);
  assert.ok(!JSON.stringify(summary).includes("NaN"));
});
