/**
 * Test support for private status subscriptions: what a third party lists of
 * them over the API, and the flags of a subscription run that goes until it
 * is stopped.
 * @module
 */
import { ListSubscriptionsCommand, SNSClient } from "@aws-sdk/client-sns";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import type { Simulator } from "../mod/sim/simulator.ts";
import { simRunArgs } from "./run_test_support.ts";

/** Private status queues and the subscriptions delivering to them. */
export async function privateResources(
  sim: Simulator,
): Promise<{ queues: string[]; subscriptions: string[] }> {
  const sqs = new SQSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  const sns = new SNSClient({ ...simClientConfig(sim), maxAttempts: 1 });
  try {
    const queues = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "osml-load-" })))
      .QueueUrls ?? [];
    const subs = (await sns.send(new ListSubscriptionsCommand({}))).Subscriptions ?? [];
    return {
      queues,
      subscriptions: subs.filter((s) => s.Endpoint?.includes(":osml-load-")).map((s) =>
        s.SubscriptionArn!
      ),
    };
  } finally {
    sqs.destroy();
    sns.destroy();
  }
}

/** Flags of a headless subscription run that goes until stopped. */
export function subscriptionRunArgs(sim: Simulator, dir: string): string[] {
  return simRunArgs(sim, dir, ["--status-source", "subscription", "--run-time", "10m"]);
}
