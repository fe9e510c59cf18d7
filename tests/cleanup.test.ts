/**
 * `osml-load cleanup` removes what a SIGKILLed run left: its private status
 * queue and the subscription delivering to it (and a subscription whose queue
 * is gone), keeps what is younger than `--older-than` and other tools'
 * queues, lists without removing on `--dry-run`, and refuses to remove
 * without `--yes` when it cannot ask.
 */
import assert from "node:assert/strict";
import { SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { formatAge, runCleanup } from "../mod/commands/cleanup.ts";
import { ExitCode } from "../mod/exit_codes.ts";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { lineSink, withSimulator } from "./engine_test_support.ts";
import { exists, startTool, until } from "./run_test_support.ts";
import { privateResources, subscriptionRunArgs } from "./status_subscription_support.ts";

Deno.test("cleanup removes the private queue and subscription a SIGKILLed run left, and only those", async () => {
  await withSimulator({ modelRunner: { msPerMegapixel: 0.05, fixedMs: 10 } }, async (sim, dir) => {
    const child = startTool(subscriptionRunArgs(sim, dir), sim.env);
    await until(() => exists(`${dir}/logs/job_status.json`), "the first job files");
    child.process.kill("SIGKILL");
    await child.done;
    const left = await privateResources(sim);
    assert.equal(left.queues.length, 1, "a killed run cannot remove its queue");
    assert.equal(left.subscriptions.length, 1, "nor its subscription");
    const queueName = left.queues[0]!.slice(left.queues[0]!.lastIndexOf("/") + 1);
    assert.match(queueName, /^osml-load-[0-9a-f]{8}$/);

    // Another tool's queue with a similar name, and a subscription whose queue is gone.
    const sqs = new SQSClient({ ...simClientConfig(sim), maxAttempts: 1 });
    const sns = new SNSClient({ ...simClientConfig(sim), maxAttempts: 1 });
    try {
      const generatorQueue = (await sqs.send(
        new CreateQueueCommand({ QueueName: "osml-load-generator-jobs" }),
      )).QueueUrl!;
      const orphan = await sns.send(
        new SubscribeCommand({
          TopicArn: sim.seeded!.statusTopicArn,
          Protocol: "sqs",
          Endpoint: `arn:aws:sqs:${sim.region}:${sim.account}:osml-load-deadbeef`,
          ReturnSubscriptionArn: true,
        }),
      );

      // Default --older-than 1h: the young queue stays; the orphaned subscription goes.
      let sink = lineSink();
      let code = await runCleanup({
        olderThanS: 3600,
        dryRun: false,
        yes: true,
        region: sim.region,
        env: sim.env,
        write: sink.write,
      });
      assert.equal(code, ExitCode.Ok);
      let text = sink.lines.join("\n");
      assert.match(
        text,
        new RegExp(
          `^keep queue ${queueName} \\(run [0-9a-f]{8}, created .*younger than --older-than 1h 0m\\)$`,
          "m",
        ),
      );
      assert.match(
        text,
        new RegExp(`^keep subscription \\S+ \\(to queue ${queueName}, which is kept\\)$`, "m"),
      );
      assert.match(
        text,
        new RegExp(
          `^unsubscribed subscription ${orphan.SubscriptionArn} \\(to queue osml-load-deadbeef, which is gone\\)$`,
          "m",
        ),
      );
      assert.doesNotMatch(text, /osml-load-generator-jobs/);
      const kept = {
        queues: [...left.queues, generatorQueue].sort(),
        subscriptions: left.subscriptions,
      };
      assert.deepEqual(await privateResources(sim), kept);

      // --dry-run lists what would go and removes nothing.
      sink = lineSink();
      code = await runCleanup({
        olderThanS: 0,
        dryRun: true,
        yes: false,
        region: sim.region,
        env: sim.env,
        write: sink.write,
      });
      assert.equal(code, ExitCode.Ok);
      text = sink.lines.join("\n");
      assert.match(text, new RegExp(`^would delete queue ${queueName} `, "m"));
      assert.match(
        text,
        new RegExp(
          `^would unsubscribe subscription ${left.subscriptions[0]} \\(to queue ${queueName}\\)$`,
          "m",
        ),
      );
      assert.match(text, /Would remove 2 in us-west-2 \(dry run: nothing removed\)\./);
      assert.deepEqual(await privateResources(sim), kept);

      // Without --yes and without a terminal to ask on: nothing removed, exit 2.
      const cli = startTool(["cleanup", "--older-than", "0s"], sim.env);
      const refused = await cli.done;
      assert.equal(refused.code, ExitCode.UsageError, refused.stderr);
      assert.match(refused.stderr, /not removing 2 resource\(s\) without --yes/);
      // Asked and answered no: nothing removed.
      sink = lineSink();
      await runCleanup({
        olderThanS: 0,
        dryRun: false,
        yes: false,
        region: sim.region,
        env: sim.env,
        write: sink.write,
        confirm: () => false,
      });
      assert.equal(sink.lines.at(-1), "Nothing removed.");
      assert.deepEqual(await privateResources(sim), kept);

      // --older-than 0s --yes: gone, one line each; the other tool's queue stays.
      sink = lineSink();
      code = await runCleanup({
        olderThanS: 0,
        dryRun: false,
        yes: true,
        region: sim.region,
        env: sim.env,
        write: sink.write,
      });
      assert.equal(code, ExitCode.Ok);
      text = sink.lines.join("\n");
      assert.match(
        text,
        new RegExp(
          `^unsubscribed subscription ${left.subscriptions[0]} \\(to queue ${queueName}\\)$`,
          "m",
        ),
      );
      assert.match(
        text,
        new RegExp(`^deleted queue ${queueName} \\(run [0-9a-f]{8}, created `, "m"),
      );
      assert.match(text, /Removed 2 of 2 in us-west-2\./);
      assert.doesNotMatch(text, /^would /m, "with --yes each resource gets one line");
      assert.deepEqual(await privateResources(sim), {
        queues: [generatorQueue],
        subscriptions: [],
      });
      await sqs.send(new GetQueueUrlCommand({ QueueName: "osml-load-generator-jobs" }));

      sink = lineSink();
      await runCleanup({
        olderThanS: 0,
        dryRun: false,
        yes: true,
        region: sim.region,
        env: sim.env,
        write: sink.write,
      });
      assert.deepEqual(sink.lines, [
        "Nothing to clean up in us-west-2: no osml-load status queues or subscriptions.",
      ]);
    } finally {
      sqs.destroy();
      sns.destroy();
    }
  });
});

Deno.test("ages read as people say them", () => {
  assert.equal(formatAge(42_000), "42s");
  assert.equal(formatAge(190_000), "3m 10s");
  assert.equal(formatAge(7_500_000), "2h 5m");
});
