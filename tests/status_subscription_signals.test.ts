/**
 * The private status queue and subscription of a run are gone after Ctrl-C
 * (SIGINT) and SIGTERM: the tool as a child process against the simulator, as
 * a person (or ECS) stops it. The listing goes through the SDK, as a third
 * party would see it.
 */
import assert from "node:assert/strict";
import { ExitCode } from "../mod/exit_codes.ts";
import { withSimulator } from "./engine_test_support.ts";
import { exists, startTool, until } from "./run_test_support.ts";
import { privateResources, subscriptionRunArgs } from "./status_subscription_support.ts";

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`${signal} mid-run: exit 130 and the private queue and subscription are gone`, async () => {
    await withSimulator(
      { modelRunner: { msPerMegapixel: 0.05, fixedMs: 10 } },
      async (sim, dir) => {
        const child = startTool(subscriptionRunArgs(sim, dir), sim.env);
        await until(() => exists(`${dir}/logs/job_status.json`), "the first job files");
        const during = await privateResources(sim);
        assert.equal(during.queues.length, 1, "the run made its private queue");
        assert.equal(during.subscriptions.length, 1, "and subscribed it");
        child.process.kill(signal);
        const { code, stderr } = await child.done;
        assert.equal(code, ExitCode.Interrupted, stderr.slice(-2000));
        assert.match(stderr, /Status source: private queue osml-load-[0-9a-f]{8} subscribed/);
        assert.match(stderr, /Removed queue osml-load-[0-9a-f]{8}/);
        assert.deepEqual(await privateResources(sim), { queues: [], subscriptions: [] });
        const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
        assert.ok(summary.total_image_sent > 0);
        assert.equal(summary.status_messages_foreign, 0);
      },
    );
  });
}
