/**
 * Job latency counts from the start of the send (finding 4 of issue 13): against a fast Model
 * Runner the status can arrive before SendMessage returns, and latency measured from the
 * return came out negative.
 */
import assert from "node:assert/strict";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { JOB_COMPLETE, jobCompleteTotals } from "../mod/engine/job_complete_sample.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { setSqsQuirks } from "../mod/sim/aws/sqs_api.ts";
import { jobInvariantViolations } from "../mod/tracker/job_invariants.ts";
import { shortRun, withSimulator } from "./engine_test_support.ts";

const quiet = () => new RunLog({ verbose: false, console: () => {} });
const ANSWER_DELAY_MS = 1_500;

Deno.test("a status that overtakes its send gives a latency >= 0, counted from the send start", async () => {
  await withSimulator(
    {
      modelRunner: {
        fixedMs: 0,
        msPerMegapixel: 0,
        jitter: 0,
        failureRate: 0,
        partialRate: 0,
        pollWaitMs: 20,
      },
    },
    async (sim, dir) => {
      // SendMessage answers 1.5 s after the message is on the queue: the simulated Model
      // Runner finishes the job, and its statuses reach the tool, before the send returns.
      setSqsQuirks(sim.state.sqs, { sendMessageAnswerDelayMs: ANSWER_DELAY_MS });
      const result = await runLoadTest(
        shortRun(sim, dir, { runTime: "4s", users: "2", waitForCompletion: true }),
        { handleSignals: false, write: () => {}, log: quiet() },
      );
      const submits = result.stats.entries().filter((e) => e.type === "Submit Image");
      const jobs = result.stats.entries().filter((e) => e.type === JOB_COMPLETE);
      const completed = jobs.reduce((n, e) => n + e.numRequests, 0);
      assert.ok(completed >= 2, `expected some finished jobs, got ${completed}`);
      assert.equal(jobs.reduce((n, e) => n + e.numFailures, 0), 0);
      const minJob = Math.min(...jobs.map((e) => e.minResponseTime ?? Infinity));
      const minSubmit = Math.min(...submits.map((e) => e.minResponseTime ?? Infinity));
      assert.ok(minSubmit >= ANSWER_DELAY_MS, `the sends took ${minSubmit} ms`);
      // The statuses did overtake the sends: some job finished before the fastest send returned.
      assert.ok(minJob < minSubmit, `job ${minJob} ms, send ${minSubmit} ms: no overtaking`);
      assert.ok(minJob >= 0, `Job Complete minimum response time ${minJob} ms is negative`);
      assert.deepEqual(
        jobInvariantViolations(result.jobs, {
          requests: completed,
          failures: 0,
        }),
        [],
      );
    },
  );
});

Deno.test("the job invariants hold at the end of a fault run (throttling, latency, failures, timeouts)", async () => {
  await withSimulator(
    {
      modelRunner: { fixedMs: 20, msPerMegapixel: 4, failureRate: 0.2, partialRate: 0.2 },
    },
    async (sim, dir) => {
      sim.faults.set({
        throttle: { probability: 0.2, operations: ["SQS.SendMessage", "SQS.ReceiveMessage"] },
        latency: { probability: 0.3, ms: 50, operations: ["SQS.SendMessage"] },
      });
      sim.faults.injectStatus("foreign", 5);
      const result = await runLoadTest(
        shortRun(sim, dir, {
          runTime: "3s",
          users: "4",
          waitForCompletion: true,
          completionTimeout: "1s",
        }),
        { handleSignals: false, write: () => {}, log: quiet() },
      );
      const totals = jobCompleteTotals(result.stats);
      assert.ok(result.jobs.total_image_sent > 0);
      assert.ok(totals.failures > 0, "the simulator fails 40 % of the jobs");
      assert.deepEqual(jobInvariantViolations(result.jobs, totals), []);
      const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
      assert.equal(
        summary.total_image_sent,
        summary.total_image_processed + summary.total_image_in_progress +
          summary.total_image_timed_out,
      );
    },
  );
});
