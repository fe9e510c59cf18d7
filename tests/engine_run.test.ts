import assert from "node:assert/strict";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { SAMPLE_IMAGES } from "../mod/images/samples.ts";
import { ExitCode } from "../mod/exit_codes.ts";
import { lineSink, shortRun, withSimulator } from "./engine_test_support.ts";

const quiet = () => new RunLog({ verbose: false, console: () => {} });

Deno.test("a short run submits the default request, tracks every job, and writes the JSON logs", async () => {
  await withSimulator({
    modelRunner: { msPerMegapixel: 0.05, fixedMs: 20, failureRate: 0, partialRate: 0 },
  }, async (sim, dir) => {
    const settings = shortRun(sim, dir, { waitForCompletion: true });
    const result = await runLoadTest(settings, {
      handleSignals: false,
      write: () => {},
      log: quiet(),
    });
    assert.equal(result.reason, "window");
    const status = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_status.json`));
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    const log = await Deno.readTextFile(`${dir}/logs/job_log.log`);
    const records = Object.values(status) as Array<Record<string, unknown>>;
    assert.ok(records.length >= 3, `expected several jobs, got ${records.length}`);
    assert.equal(summary.total_image_sent, records.length);
    assert.equal(summary.total_image_in_progress, 0);
    assert.equal(summary.total_image_processed, records.length);
    assert.equal(summary.total_image_succeeded + summary.total_image_failed, records.length);
    // The simulated Model Runner accepted every request as valid (none went to the DLQ).
    assert.equal(sim.modelRunner!.counters.invalid, 0);
    assert.equal(sim.modelRunner!.counters.valid, records.length);
    // Sizes and pixels come from the listing and the headers.
    const byKey = new Map(SAMPLE_IMAGES.map((s) => [s.key, s]));
    let bytes = 0;
    let pixels = 0;
    for (
      const [imageId, record] of Object.entries(status) as Array<[string, Record<string, unknown>]>
    ) {
      const url = String(record.image_url);
      assert.equal(imageId, `${record.job_id}:${url}`);
      assert.match(String(record.job_id), /^[0-9a-f]{32}$/);
      const sample = byKey.get(url.slice(url.indexOf("/", 5) + 1))!;
      assert.equal(record.size, sample.bytes);
      // An unreadable header (GDAL: 0) is unknown: null, not 0 (issue 13).
      assert.equal(record.pixels, sample.pixels === 0 ? null : sample.pixels);
      if (record.completed) {
        bytes += sample.bytes;
        pixels += sample.pixels;
      }
      assert.match(String(record.start_time), /^\d\d\/\d\d\/\d{4}\/\d\d:\d\d:\d\d$/);
    }
    assert.equal(summary.total_pixels_processed, pixels);
    assert.equal(summary.total_gb_processed, bytes / 1024 ** 3);
    assert.match(log, / - osml_load\.engine - INFO - Started background status monitor/);
    assert.match(log, /Total Images Sent: \d+/);
    // Submit Image samples: one per job, named <file>:<model>, length = image size.
    const submits = result.stats.entries().filter((e) => e.type === "Submit Image");
    assert.equal(submits.reduce((n, e) => n + e.numRequests, 0), records.length);
    for (const entry of submits) assert.match(entry.name, /^[^/]+:centerpoint$/);
    const jobComplete = result.stats.entries().filter((e) => e.type === "Job Complete");
    assert.equal(jobComplete.reduce((n, e) => n + e.numRequests, 0), records.length);
  });
});

Deno.test("--dry-run prints the resolved configuration and plan and writes nothing", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const sink = lineSink();
    const result = await runLoadTest(shortRun(sim, dir, { dryRun: true }), {
      handleSignals: false,
      write: sink.write,
      log: quiet(),
    });
    assert.equal(result.reason, "dry-run");
    assert.equal(result.exitCode, ExitCode.Ok);
    const text = sink.lines.join("\n");
    assert.match(text, /Request queue\s+ImageRequestQueue \(task definition\)/);
    assert.match(text, /Status queue\s+ImageStatusQueue \(derived\)/);
    assert.match(text, /Account\s+123456789012 \(task definition\)/);
    assert.match(text, /window ends: stop/);
    await assert.rejects(Deno.stat(`${dir}/logs`));
  });
});

Deno.test("the window stops the run; without a model runner the completion wait times jobs out", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const settings = shortRun(sim, dir, {
      runTime: "2s",
      waitForCompletion: true,
      completionTimeout: "1s",
    });
    const result = await runLoadTest(settings, {
      handleSignals: false,
      write: () => {},
      log: quiet(),
    });
    assert.equal(result.reason, "window");
    assert.ok(result.jobs.total_image_sent > 0);
    assert.equal(result.jobs.total_image_timed_out, result.jobs.total_image_sent);
    assert.equal(result.jobs.total_image_processed, 0);
    const timeouts = result.stats.failures().filter((f) => f.error.startsWith("JobTimeout"));
    assert.equal(timeouts.reduce((n, f) => n + f.occurrences, 0), result.jobs.total_image_sent);
    assert.equal(result.exitCode, ExitCode.RunFailed);
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    assert.equal(summary.total_image_timed_out, result.jobs.total_image_sent);
  });
});

Deno.test("malformed and foreign status messages are counted, deleted, and never crash the run", async () => {
  await withSimulator({ modelRunner: { msPerMegapixel: 0.05, fixedMs: 10 } }, async (sim, dir) => {
    sim.faults.injectStatus("malformed", 4);
    sim.faults.injectStatus("foreign", 3);
    // The shared status queue, as upstream reads it (a private subscription never sees these).
    const settings = shortRun(sim, dir, {
      runTime: "2s",
      waitForCompletion: true,
      statusSource: "queue",
    });
    const result = await runLoadTest(settings, {
      handleSignals: false,
      write: () => {},
      log: quiet(),
    });
    assert.equal(result.reason, "window");
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    // Bodies that are not JSON or lack attributes are malformed; an envelope with an unknown
    // status for a job we never sent is foreign.
    assert.ok(summary.status_messages_malformed >= 3, JSON.stringify(summary));
    assert.ok(
      summary.status_messages_malformed + summary.status_messages_foreign >= 7,
      JSON.stringify(summary),
    );
    assert.equal(summary.total_image_in_progress, 0);
    assert.equal(sim.state.queue("ImageStatusQueue").counts().visible, 0, "upstream deletes all");
  });
});

Deno.test("--keep-foreign-status leaves other runs' status messages on the queue", async () => {
  await withSimulator({ modelRunner: { msPerMegapixel: 0.05, fixedMs: 10 } }, async (sim, dir) => {
    sim.faults.injectStatus("foreign", 3);
    const settings = shortRun(sim, dir, {
      runTime: "2s",
      waitForCompletion: true,
      keepForeignStatus: true,
      statusSource: "queue",
    });
    const result = await runLoadTest(settings, {
      handleSignals: false,
      write: () => {},
      log: quiet(),
    });
    assert.equal(result.jobs.total_image_in_progress, 0, "our own jobs were all seen");
    const counts = sim.state.queue("ImageStatusQueue").counts();
    assert.equal(counts.visible + counts.inflight, 3, JSON.stringify(counts));
  });
});
