import assert from "node:assert/strict";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { capacityCommand } from "../mod/commands/capacity.ts";
import { SAMPLE_IMAGES, writeSampleImages } from "../mod/images/samples.ts";
import { shortRun, withSimulator } from "./engine_test_support.ts";
import type { Simulator } from "../mod/sim/simulator.ts";

const quiet = () => new RunLog({ verbose: false, console: () => {} });

/** A bucket holding only small.tif, so every job costs the same. */
async function oneImageBucket(sim: Simulator, dir: string): Promise<string> {
  await writeSampleImages(`${dir}/samples`);
  const small = SAMPLE_IMAGES.find((s) => s.key === "small.tif")!;
  await sim.state.putObject(
    "one-image",
    "small.tif",
    await Deno.readFile(`${dir}/samples/small.tif`),
    {
      createBucket: true,
    },
  );
  assert.ok(small.pixels > 0);
  return "s3://one-image";
}

Deno.test("the open model holds its rate while the simulator slows down", async () => {
  await withSimulator(
    { modelRunner: { fixedMs: 20, msPerMegapixel: 0, failureRate: 0, partialRate: 0 } },
    async (sim, dir) => {
      const settings = shortRun(sim, dir, { rate: "25/s", users: "10", runTime: "6s" });
      setTimeout(() => sim.modelRunner!.setOptions({ fixedMs: 5_000, workers: 1 }), 2_000);
      const result = await runLoadTest(settings, {
        handleSignals: false,
        write: () => {},
        log: quiet(),
      });
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
      assert.equal(summary.open_model_target_rate.toFixed(6), (25).toFixed(6));
      const achieved = summary.open_model_achieved_rate;
      assert.ok(Math.abs(achieved - 25) / 25 <= 0.01, `achieved ${achieved}/s vs 25/s`);
      assert.equal(summary.open_model_dropped, 0);
      assert.equal(result.jobs.total_image_sent, summary.open_model_sent);
      assert.ok(summary.max_queue_backlog > 10, "the slowed simulator built a backlog");
    },
  );
});

Deno.test("too few users: late and dropped submissions are counted, never skipped silently", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    sim.faults.set({ latency: { probability: 1, ms: 200, operations: ["SQS.SendMessage"] } });
    const settings = shortRun(sim, dir, {
      rate: "20/s",
      users: "2",
      runTime: "4s",
      maxLateness: "1s",
    });
    await runLoadTest(settings, { handleSignals: false, write: () => {}, log: quiet() });
    const s = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    assert.equal(
      s.open_model_scheduled,
      s.open_model_sent + s.open_model_dropped,
      JSON.stringify(s),
    );
    assert.ok(Math.abs(s.open_model_scheduled - 80) <= 2, `scheduled ${s.open_model_scheduled}`);
    // Two users at ~200 ms a send carry ~10/s of the 20/s.
    assert.ok(s.open_model_sent <= 2 * 4 * 5 + 4, `sent ${s.open_model_sent}`);
    assert.ok(s.open_model_dropped >= 25, `dropped ${s.open_model_dropped}`);
    assert.ok(s.open_model_late > 0 && s.open_model_late <= s.open_model_sent);
    assert.ok(s.open_model_lateness_p99_ms >= 200, `p99 lateness ${s.open_model_lateness_p99_ms}`);
    assert.equal(s.total_image_sent, s.open_model_sent);
  });
});

Deno.test("the capacity search finds the simulator's capacity within 10 %", async () => {
  // 4 workers × 200 ms a job = 20 jobs/s.
  await withSimulator(
    {
      modelRunner: {
        workers: 4,
        fixedMs: 200,
        msPerMegapixel: 0,
        jitter: 0,
        failureRate: 0,
        partialRate: 0,
      },
    },
    async (sim, dir) => {
      const source = await oneImageBucket(sim, dir);
      const lines: string[] = [];
      const flags = {
        sourceBucket: source,
        resultBucket: `s3://mr-bucket-sink-${sim.account}`,
        startRate: "14/s",
        step: "2/s",
        stepDuration: "6s",
        maxLatency: "60s",
        users: "20",
        logDir: `${dir}/logs`,
        html: `${dir}/report.html`,
        consoleInterval: "3600",
      };
      const code = await capacityCommand(
        flags,
        (name) => (name === "users" ? "cli" : undefined),
        (l) => lines.push(l),
        sim.env,
      );
      const report = JSON.parse(await Deno.readTextFile(`${dir}/logs/capacity.json`));
      const rate = report.result.rate;
      assert.ok(Math.abs(rate - 20) / 20 <= 0.1, `found ${rate} jobs/s:\n${lines.join("\n")}`);
      assert.equal(report.result.ended, "found");
      assert.ok(
        report.steps.some((s: { verdict: string }) =>
          s.verdict === "backlog" || s.verdict === "latency"
        ),
      );
      assert.equal(report.result.imagesPerHour, rate * 3600);
      const small = SAMPLE_IMAGES.find((s) => s.key === "small.tif")!;
      assert.ok(Math.abs(report.result.gbPerHour - (rate * 3600 * small.bytes) / 1024 ** 3) < 1e-6);
      assert.match(
        lines.join("\n"),
        /Sustainable throughput: [\d.]+ jobs\/s \(confirmed\)\n .* images\/hour/,
      );
      assert.match(await Deno.readTextFile(`${dir}/report.html`), /capacity/i);
      assert.ok(code === 0 || code === 1);
    },
  );
});
