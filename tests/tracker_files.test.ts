/**
 * job_status.json and job_summary.json keep upstream's types (floats stay floats), report the
 * load start and the setup apart (finding 8 of issue 13), count unknown pixels and refused
 * status changes; the cost report says a cost per gigapixel is unknown rather than divide by a
 * short total.
 */
import assert from "node:assert/strict";
import { JobTracker } from "../mod/tracker/job_tracker.ts";
import {
  jobSummary,
  statisticsBlock,
  writeJobStatus,
  writeJobSummary,
} from "../mod/tracker/job_files.ts";
import { stringifyPythonJson } from "../mod/tracker/python_json.ts";
import type { JobRegistration } from "../mod/model/job_registration.ts";
import { computeCostReport } from "../mod/cost/cost_report.ts";
import { formatCostTable } from "../mod/cost/cost_table.ts";
import { parseJobSummary } from "../mod/cost/job_summary.ts";
import { parseSummaryTime } from "../mod/cost/summary_time.ts";

const reg = (id: string, pixels: number | null, size = 1024): JobRegistration => ({
  imageId: `${id}:s3://b/${id}.tif`,
  jobId: id,
  imageUrl: `s3://b/${id}.tif`,
  messageId: `m-${id}`,
  size,
  pixels,
  submittedAt: new Date(2025, 11, 9, 10, 44, 51, 0).getTime(),
  name: `${id}.tif:centerpoint`,
  awaited: false,
});
const done = (id: string, status: string, durationS: number | null) => ({
  imageId: `${id}:s3://b/${id}.tif`,
  jobId: id,
  status,
  durationS,
  receivedAt: new Date(2025, 11, 9, 10, 45, 3, 0).getTime(),
});

Deno.test("Python floats stay floats: processing_duration and total_gb_processed (finding 8)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tracker = new JobTracker();
    tracker.register(reg("a", 100), 0);
    tracker.register(reg("b", 200, 1024 ** 3), 0);
    tracker.register(reg("c", 300), 0);
    tracker.update(done("a", "SUCCESS", 42)); // from the message: an integer
    tracker.update(done("b", "FAILED", null)); // now − start: 12 s
    const statusText = await Deno.readTextFile(await writeJobStatus(dir, tracker));
    assert.match(statusText, /"processing_duration": 42\.0,?\n/);
    assert.match(statusText, /"processing_duration": 12\.0,?\n/);
    assert.match(statusText, /"processing_duration": null\n/);
    assert.match(statusText, /"pixels": 100,\n/, "ints stay ints");
    assert.match(statusText, /^\{\n {4}"a:s3:\/\/b\/a\.tif": \{\n {8}"job_id": "a",\n/);
    const parsed = JSON.parse(statusText);
    assert.equal(parsed["a:s3://b/a.tif"].processing_duration, 42);

    const summaryText = await Deno.readTextFile(
      await writeJobSummary(dir, tracker.statistics(), { startedAt: 0 }),
    );
    // 1 GiB + 1 KiB processed: a float either way; 1 GiB alone would be written 1.0.
    assert.match(summaryText, /"total_gb_processed": 1\.0000009536743164,\n/);
    const empty = stringifyPythonJson(jobSummary(new JobTracker().statistics(), { startedAt: 0 }));
    assert.match(empty, /"total_gb_processed": 0\.0,\n/);
    assert.match(empty, /"total_pixels_processed": 0,\n/);
    assert.match(
      stringifyPythonJson({ total_gb_processed: 1024 / 1024 ** 3 }),
      /"total_gb_processed": 9\.5367431640625e-07\n/,
    );
    // The serializer writes exactly what JSON.stringify writes for everything else.
    const sample = { a: [1, "x", null, { b: true }], c: {}, d: [], e: 'ü\n"' };
    assert.equal(stringifyPythonJson(sample, new Set()), JSON.stringify(sample, null, 4));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("start_time is the load start; setup_duration_s reports the setup apart", () => {
  const startedAt = new Date(2025, 11, 9, 10, 0, 0, 0).getTime();
  const loadStartedAt = startedAt + 8_500;
  const stats = new JobTracker().statistics();
  const summary = jobSummary(stats, {
    startedAt,
    loadStartedAt,
    stoppedAt: loadStartedAt + 60_000,
  });
  assert.equal(summary.start_time, jobSummary(stats, { startedAt: loadStartedAt }).start_time);
  assert.equal(summary.setup_duration_s, 8.5);
  assert.ok(
    Object.keys(summary).indexOf("setup_duration_s") > Object.keys(summary).indexOf("stop_time"),
  );
  assert.equal(jobSummary(stats, { startedAt, loadStartedAt, setupS: 8 }).setup_duration_s, 8);
  assert.match(
    stringifyPythonJson(jobSummary(stats, { startedAt, setupS: 8 })),
    /"setup_duration_s": 8\.0/,
  );
  assert.equal("setup_duration_s" in jobSummary(stats, { startedAt }), false);
});

Deno.test("unknown pixels are null everywhere and counted; cost per gigapixel is unknown", () => {
  const tracker = new JobTracker();
  tracker.register(reg("a", 1_000_000_000), 0);
  tracker.register(reg("b", null), 0);
  tracker.register(reg("c", null), 0);
  tracker.update(done("a", "SUCCESS", 5));
  tracker.update(done("b", "SUCCESS", 5));
  tracker.update(done("b", "IN_PROGRESS", null));
  tracker.update(done("b", "SUCCESS", 5));
  assert.equal(tracker.get("b:s3://b/b.tif")!.record.pixels, null);
  const stats = tracker.statistics();
  assert.equal(stats.total_pixels_processed, 1_000_000_000, "known pixels only");
  assert.equal(stats.jobs_pixels_unknown, 1, "c is not processed yet");
  assert.match(statisticsBlock(stats)[6]!, /^Total Pixels Processed: 1000000000 \(pixels of 1 job/);
  const summary = jobSummary(stats, {
    startedAt: Date.parse("2025-12-09T10:00:00Z"),
    stoppedAt: Date.parse("2025-12-09T12:00:00Z"),
    statusCounts: tracker.counts(),
    imagesPixelsUnknown: 2,
  });
  assert.equal(summary.jobs_pixels_unknown, 1);
  assert.equal(summary.images_pixels_unknown, 2);
  assert.equal(summary.status_transitions_refused, 1);
  assert.equal(summary.status_refused_after_terminal, 1);
  assert.equal(summary.status_duplicates, 1);

  // The cost report reads the summary: the gigapixels are short of the truth.
  const parsed = parseJobSummary(JSON.parse(stringifyPythonJson(summary)), "inline");
  assert.equal(parsed.jobsPixelsUnknown, 1);
  const report = computeCostReport(
    { ...parsed, start: parsed.start!, stop: parsed.stop! },
    { total: 10, byService: new Map([["Amazon SageMaker", 10]]) },
  );
  assert.equal(report.cost_summary.cost_per_gigapixel, null);
  assert.equal(report.load_test_summary.jobs_pixels_unknown, 1);
  assert.equal(report.cost_summary.cost_per_image, 5, "other figures are unaffected");
  assert.match(formatCostTable(report), /Cost per Gigapixel: +unknown \(the pixels of 1 job/);
  // All pixels known: the figure is computed as upstream computes it.
  const t = parseSummaryTime("2025-12-09T10:00:00Z")!;
  const known = computeCostReport(
    {
      start: t,
      stop: t,
      imagesSent: 1,
      imagesProcessed: 1,
      imagesSucceeded: 1,
      gbProcessed: 1,
      pixelsProcessed: 2e9,
      jobsPixelsUnknown: 0,
    },
    { total: 10, byService: new Map() },
  );
  assert.equal(known.cost_summary.cost_per_gigapixel, 5);
  assert.equal("jobs_pixels_unknown" in known.load_test_summary, false);
});
