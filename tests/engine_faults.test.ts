import assert from "node:assert/strict";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { ExitCode } from "../mod/exit_codes.ts";
import { shortRun, withSimulator } from "./engine_test_support.ts";

const quiet = () => new RunLog({ verbose: false, console: () => {} });

Deno.test("every send failing: failure samples in Locust's form, nothing tracked, exit 1", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    sim.faults.set({ internalError: { probability: 1, operations: ["SQS.SendMessage"] } });
    const result = await runLoadTest(shortRun(sim, dir, { runTime: "2s" }), {
      handleSignals: false,
      write: () => {},
      log: quiet(),
    });
    assert.equal(result.jobs.total_image_sent, 0, "a failed send is not tracked");
    const submits = result.stats.entries().filter((e) => e.type === "Submit Image");
    assert.ok(submits.length > 0);
    for (const entry of submits) assert.equal(entry.numFailures, entry.numRequests);
    const failure = result.stats.failures()[0]!;
    assert.equal(failure.method, "Submit Image");
    assert.match(
      failure.error,
      /^ClientError\('An error occurred \(InternalFailure\) when calling the SendMessage operation: /,
    );
    assert.equal(result.exitCode, ExitCode.RunFailed);
  });
});

Deno.test("throttling, latency and dropped connections: the SDK retries and the run completes", async () => {
  await withSimulator(
    { modelRunner: { msPerMegapixel: 0.05, fixedMs: 10, failureRate: 0, partialRate: 0 } },
    async (sim, dir) => {
      sim.faults.set({
        throttle: { probability: 0.2, operations: ["SQS.SendMessage"] },
        latency: {
          probability: 0.3,
          ms: 50,
          operations: ["SQS.SendMessage", "SQS.ReceiveMessage"],
        },
        dropConnection: { probability: 0.2, operations: ["SQS.ReceiveMessage"] },
        seed: 7,
      });
      const result = await runLoadTest(
        shortRun(sim, dir, { runTime: "3s", waitForCompletion: true }),
        { handleSignals: false, write: () => {}, log: quiet() },
      );
      assert.equal(result.reason, "window");
      assert.ok(result.jobs.total_image_sent > 0);
      assert.equal(result.jobs.total_image_in_progress, 0, "the monitor recovered every status");
      assert.equal(result.jobs.total_image_timed_out, 0);
    },
  );
});
