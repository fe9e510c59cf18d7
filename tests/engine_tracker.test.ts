import assert from "node:assert/strict";
import { parseStatusMessage } from "../mod/engine/status_message.ts";
import { JobTracker } from "../mod/tracker/job_tracker.ts";
import { jobSummary, statisticsBlock, writeJobStatus } from "../mod/tracker/job_files.ts";
import type { JobRegistration } from "../mod/model/job_registration.ts";

const fixtures: Array<Record<string, unknown>> = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/status-envelopes-sns-to-sqs.json", import.meta.url)),
);

function registration(jobId: string, url: string, size = 1024, pixels = 4096): JobRegistration {
  return {
    imageId: `${jobId}:${url}`,
    jobId,
    imageUrl: url,
    messageId: `m-${jobId}`,
    size,
    pixels,
    submittedAt: new Date(2025, 11, 9, 10, 44, 51, 500).getTime(),
    name: `${url.slice(url.lastIndexOf("/") + 1)}:centerpoint`,
    awaited: false,
  };
}

Deno.test("the real SNS envelopes parse into image id, status and duration (fidelity 27)", () => {
  const parsed = fixtures.map((f) => parseStatusMessage(JSON.stringify(f)));
  assert.ok(parsed.every((p) => p !== undefined));
  assert.deepEqual(parsed.map((p) => p!.status).slice(0, 3), ["STARTED", "IN_PROGRESS", "SUCCESS"]);
  assert.equal(
    parsed[0]!.imageId,
    "0123456789abcdef0123456789abcdef:s3://osml-test-images-123456789012/large.tif",
  );
  assert.equal(parsed[0]!.jobId, "0123456789abcdef0123456789abcdef");
  assert.equal(parsed[0]!.durationS, null);
  for (const p of parsed) {
    if (p!.durationS !== null) assert.ok(p!.durationS > 0);
  }
});

Deno.test("status parsing: image_status fallback, inner Message JSON, bad durations, junk", () => {
  const attrs = (a: Record<string, string>) =>
    JSON.stringify({
      MessageAttributes: Object.fromEntries(
        Object.entries(a).map(([k, v]) => [k, { Type: "String", Value: v }]),
      ),
    });
  assert.equal(
    parseStatusMessage(attrs({ image_id: "j:u", image_status: "FAILED" }))?.status,
    "FAILED",
  );
  assert.equal(
    parseStatusMessage(attrs({ image_id: "j:u", status: "SUCCESS", processing_duration: "0" }))
      ?.durationS,
    null,
  );
  assert.equal(
    parseStatusMessage(attrs({ image_id: "j:u", status: "SUCCESS", processing_duration: "x" }))
      ?.durationS,
    null,
  );
  const inner = JSON.stringify({
    Message: JSON.stringify({
      status: "SUCCESS",
      request: { image_id: "k:u", processing_duration: 7 },
    }),
  });
  assert.deepEqual(parseStatusMessage(inner), {
    imageId: "k:u",
    jobId: "k",
    status: "SUCCESS",
    durationS: 7,
  });
  assert.equal(parseStatusMessage("not json"), undefined);
  assert.equal(parseStatusMessage("[1,2]"), undefined);
  assert.equal(parseStatusMessage(JSON.stringify({ Message: "plain text" })), undefined);
});

Deno.test("tracker follows upstream's record and statistics rules (fidelity 25, 29-31)", () => {
  const tracker = new JobTracker();
  assert.equal(tracker.isComplete(), true, "vacuously complete with no jobs");
  tracker.register(registration("a", "s3://b/a.tif", 100, 10), 0);
  tracker.register(registration("b", "s3://b/b.tif", 200, 20), 0);
  tracker.register(registration("c", "s3://b/c.tif", 300, 30), 0);
  const rec = tracker.get("a:s3://b/a.tif")!.record;
  assert.equal(rec.status, "STARTED");
  assert.equal(rec.completed, false);
  assert.equal(rec.start_time, "12/09/2025/10:44:51");
  const ev = (id: string, url: string, status: string, durationS: number | null = null) => ({
    imageId: `${id}:${url}`,
    jobId: id,
    status,
    durationS,
    receivedAt: new Date(2025, 11, 9, 10, 45, 1, 250).getTime(),
  });
  tracker.update(ev("a", "s3://b/a.tif", "IN_PROGRESS"));
  tracker.update(ev("a", "s3://b/a.tif", "SUCCESS", 42));
  tracker.update(ev("a", "s3://b/a.tif", "FAILED"));
  assert.equal(tracker.get("a:s3://b/a.tif")!.record.status, "SUCCESS", "SUCCESS is final");
  assert.equal(tracker.get("a:s3://b/a.tif")!.record.processing_duration, 42);
  tracker.update(ev("b", "s3://b/b.tif", "PARTIAL"));
  assert.equal(
    tracker.get("b:s3://b/b.tif")!.record.processing_duration,
    10.25,
    "no duration: now minus the whole-second start time",
  );
  tracker.update(ev("c", "s3://b/c.tif", "WEIRD"));
  assert.equal(tracker.get("c:s3://b/c.tif")!.record.status, "STARTED");
  const stats = tracker.statistics();
  assert.equal(stats.total_image_sent, 3);
  assert.equal(stats.total_image_processed, 2);
  assert.equal(stats.total_image_in_progress, 1);
  assert.equal(stats.total_image_succeeded, 1);
  assert.equal(stats.total_image_failed, 1, "PARTIAL counts as failed");
  assert.equal(stats.total_image_partial, 1);
  assert.equal(stats.total_gb_processed, 300 / 1024 ** 3);
  assert.equal(stats.total_pixels_processed, 30);
  // Deviation (issue 13): PARTIAL is terminal too; only a new attempt (a retry) reopens it.
  tracker.update(ev("b", "s3://b/b.tif", "SUCCESS", 5));
  assert.equal(tracker.get("b:s3://b/b.tif")!.record.status, "PARTIAL");
  assert.equal(tracker.statistics().total_image_succeeded, 1);
  assert.equal(tracker.statistics().total_image_failed, 1);
  assert.equal(tracker.counts().unknownStatus, 1);
  assert.equal(tracker.counts().refusedBy["terminal-conflict"], 2, "a:FAILED and b:SUCCESS");
  assert.equal(tracker.counts().refused, 2);
});

Deno.test("a status that overtakes its job's registration is applied when it arrives", () => {
  const tracker = new JobTracker({ graceMs: 1000 });
  tracker.update({
    imageId: "z:s3://b/z.tif",
    jobId: "z",
    status: "SUCCESS",
    durationS: 3,
    receivedAt: 0,
  });
  tracker.update({
    imageId: "f:s3://b/f.tif",
    jobId: "f",
    status: "SUCCESS",
    durationS: 3,
    receivedAt: 0,
  });
  tracker.register(registration("z", "s3://b/z.tif"), 0);
  assert.equal(tracker.get("z:s3://b/z.tif")!.record.status, "SUCCESS");
  assert.equal(tracker.expirePending(5000), 1);
  assert.equal(tracker.counts().foreign, 1);
});

Deno.test("job_status.json and job_summary.json have upstream's keys (fidelity 33, 35)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tracker = new JobTracker();
    tracker.register(registration("a", "s3://b/a.tif"), 0);
    const path = await writeJobStatus(dir, tracker);
    const text = await Deno.readTextFile(path);
    assert.match(text, /^\{\n {4}"a:s3:\/\/b\/a\.tif": \{\n {8}"job_id"/);
    const parsed = JSON.parse(text);
    assert.deepEqual(Object.keys(parsed["a:s3://b/a.tif"]), [
      "job_id",
      "image_url",
      "message_id",
      "status",
      "completed",
      "size",
      "pixels",
      "start_time",
      "processing_duration",
    ]);
    const summary = jobSummary(tracker.statistics(), { startedAt: 0, stoppedAt: 1000 });
    assert.deepEqual(Object.keys(summary).slice(0, 9), [
      "total_image_sent",
      "total_image_in_progress",
      "total_image_processed",
      "total_image_succeeded",
      "total_image_failed",
      "total_gb_processed",
      "total_pixels_processed",
      "start_time",
      "stop_time",
    ]);
    assert.match(
      String(summary.start_time),
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/,
    );
    assert.deepEqual(statisticsBlock(tracker.statistics()).map((l) => l.split(":")[0]), [
      "Total Images Sent",
      "Total Images In-Progress",
      "Total Images Processed",
      "Total Images Succeeded",
      "Total Images Failed",
      "Total GB Processed",
      "Total Pixels Processed",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
