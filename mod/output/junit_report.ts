/**
 * `--junit FILE`: the `--threshold` verdicts as JUnit XML, the format CI
 * systems (GitHub Actions reporters, GitLab, Jenkins, Azure Pipelines) read as
 * test results. One `<testsuite name="osml-load thresholds">`, one
 * `<testcase>` per threshold named by its expression, a `<failure>` for each
 * threshold that failed (also when its value could not be measured), and the
 * observed value in `<system-out>`. No thresholds give an empty suite.
 * Written atomically at the end of the run.
 *
 * ```xml
 * <?xml version="1.0" encoding="UTF-8"?>
 * <testsuite name="osml-load thresholds" tests="2" failures="1" errors="0" skipped="0" timestamp="2023-11-14T22:13:20" time="9">
 *   <testcase name="Submit Image:p95&lt;500" classname="osml-load.thresholds" time="0">
 *     <failure message="Submit Image:p95&lt;500 failed: observed 620" type="ThresholdFailed">observed 620</failure>
 *     <system-out>observed 620</system-out>
 *   </testcase>
 *   <testcase name="fail_ratio&lt;0.01" classname="osml-load.thresholds" time="0">
 *     <system-out>observed 0</system-out>
 *   </testcase>
 * </testsuite>
 * ```
 *
 * @example
 * ```ts
 * import { createJunitReportOutput } from "./junit_report.ts";
 * const output = createJunitReportOutput({ path: "out/thresholds.xml" });
 * if (output.name !== "junit") throw new Error("named junit");
 * ```
 * @module
 */

import { writeTextFileAtomic } from "../fs/atomic_write.ts";
import { thresholdSummary, type ThresholdSummaryItem } from "../stats/threshold_summary.ts";
import type { Output, OutputContext } from "./output.ts";

/** The name of the single test suite. */
export const JUNIT_SUITE_NAME = "osml-load thresholds";

/** The `classname` of every test case. */
export const JUNIT_CLASS_NAME = "osml-load.thresholds";

// Characters XML 1.0 cannot hold at all, even escaped: C0 controls other than tab, LF and CR,
// lone surrogates, U+FFFE and U+FFFF.
const NOT_XML =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escape text for XML content or a double- or single-quoted attribute:
 * `& < > " '` as entities, tab, LF and CR as character references (so
 * attribute values keep them), and characters XML cannot hold as U+FFFD.
 *
 * @example
 * ```ts
 * import { escapeXml } from "./junit_report.ts";
 * const escaped = escapeXml(`a<b & "c" 'd'\n\u0007`);
 * if (escaped !== "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;\uFFFD") throw new Error(escaped);
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, "\uFFFD").replace(/[&<>"'\t\n\r]/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&apos;";
      case "\t":
        return "&#9;";
      case "\n":
        return "&#10;";
      default:
        return "&#13;";
    }
  });
}

/** A local ISO-8601 timestamp without zone, as JUnit's schema has it: `2023-11-14T22:13:20` (UTC). */
function junitTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}

function observed(item: ThresholdSummaryItem): string {
  return item.value === null ? `no value: ${item.reason ?? "no data"}` : `observed ${item.value}`;
}

/**
 * The JUnit XML document for threshold verdicts.
 *
 * @example
 * ```ts
 * import { junitXml } from "./junit_report.ts";
 * const xml = junitXml([{ expression: "jobs_failed<=2", value: 3, passed: false }], { startedAt: 0 });
 * if (!xml.includes('tests="1" failures="1"') || !xml.includes("<failure ")) throw new Error(xml);
 * if (!junitXml([], { startedAt: 0 }).includes('tests="0"')) throw new Error("an empty suite");
 * ```
 */
export function junitXml(
  items: readonly ThresholdSummaryItem[],
  run: { startedAt: number; durationS?: number },
): string {
  const failures = items.filter((i) => !i.passed).length;
  const attributes = [
    `name="${escapeXml(JUNIT_SUITE_NAME)}"`,
    `tests="${items.length}"`,
    `failures="${failures}"`,
    `errors="0"`,
    `skipped="0"`,
    `timestamp="${junitTimestamp(run.startedAt)}"`,
    `time="${run.durationS !== undefined && run.durationS >= 0 ? run.durationS : 0}"`,
  ].join(" ");
  const lines = [`<?xml version="1.0" encoding="UTF-8"?>`];
  if (items.length === 0) {
    lines.push(`<testsuite ${attributes}/>`);
    return lines.join("\n") + "\n";
  }
  lines.push(`<testsuite ${attributes}>`);
  for (const item of items) {
    lines.push(
      `  <testcase name="${escapeXml(item.expression)}" classname="${JUNIT_CLASS_NAME}" time="0">`,
    );
    const text = escapeXml(observed(item));
    if (!item.passed) {
      const message = escapeXml(`${item.expression} failed: ${observed(item)}`);
      lines.push(`    <failure message="${message}" type="ThresholdFailed">${text}</failure>`);
    }
    lines.push(`    <system-out>${text}</system-out>`);
    lines.push(`  </testcase>`);
  }
  lines.push(`</testsuite>`);
  return lines.join("\n") + "\n";
}

/**
 * The `--junit FILE` output: writes the threshold verdicts the engine
 * evaluated (`ctx.thresholds()`) once, at finish.
 *
 * @example
 * ```ts
 * import { createJunitReportOutput } from "./junit_report.ts";
 * const output = createJunitReportOutput({ path: "thresholds.xml" });
 * if (output.start !== undefined) throw new Error("writes only at finish");
 * ```
 */
export function createJunitReportOutput(options: { path: string }): Output {
  return {
    name: "junit",
    async finish(ctx: OutputContext) {
      const stopped = ctx.stoppedAt() ?? Date.now();
      const started = ctx.loadStartedAt?.() ?? ctx.startedAt;
      const xml = junitXml(thresholdSummary(ctx.thresholds?.() ?? []), {
        startedAt: started,
        durationS: (stopped - started) / 1000,
      });
      await writeTextFileAtomic(options.path, xml);
    },
  };
}
