// The simulator's ECS, SageMaker, STS and Cost Explorer routing, through the real SDK clients.
import assert from "node:assert/strict";
import {
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeEndpointConfigCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CostExplorerClient, GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import { type Simulator, startSimulator } from "../mod/sim/simulator.ts";
import { errorOf } from "./sim_test_support.ts";

async function withSim(fn: (sim: Simulator) => Promise<void>, seed = true): Promise<void> {
  const sim = await startSimulator({ port: 0, seed, modelRunner: false });
  try {
    await fn(sim);
  } finally {
    await sim.close();
  }
}

Deno.test("ecs: the seeded task definition carries the stock container environment", async () => {
  await withSim(async (sim) => {
    const ecs = new ECSClient({ ...simClientConfig(sim), maxAttempts: 1 });
    try {
      const list = await ecs.send(new ListTaskDefinitionsCommand({ sort: "DESC" }));
      const arn = list.taskDefinitionArns?.find((a) => a.includes("ModelRunnerDataplane"));
      assert.equal(
        arn,
        "arn:aws:ecs:us-west-2:123456789012:task-definition/osml-ModelRunnerDataplaneECSServiceTaskDefinition:1",
      );
      const { taskDefinition } = await ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: arn }),
      );
      const container = taskDefinition?.containerDefinitions?.[0];
      assert.equal(container?.name, "ModelRunnerContainer");
      const env = Object.fromEntries(container!.environment!.map((e) => [e.name, e.value]));
      assert.equal(
        env.IMAGE_QUEUE,
        "https://sqs.us-west-2.amazonaws.com/123456789012/ImageRequestQueue",
      );
      assert.equal(
        env.IMAGE_DLQ,
        "https://sqs.us-west-2.amazonaws.com/123456789012/ImageRequestQueue-dlq",
      );
      assert.equal(env.IMAGE_STATUS_TOPIC, "arn:aws:sns:us-west-2:123456789012:ImageStatusTopic");
      assert.equal(env.AWS_DEFAULT_REGION, "us-west-2");
      assert.ok(env.FEATURE_TABLE && env.REGION_REQUEST_TABLE && env.WORKERS);
    } finally {
      ecs.destroy();
    }
  });
});

Deno.test("ecs: RegisterTaskDefinition revisions, ListTaskDefinitions sort/prefix/pagination, errors", async () => {
  await withSim(async (sim) => {
    const ecs = new ECSClient({ ...simClientConfig(sim), maxAttempts: 1 });
    try {
      for (const family of ["bravo", "alpha", "bravo", "charlie", "bravo"]) {
        await ecs.send(
          new RegisterTaskDefinitionCommand({
            family,
            containerDefinitions: [
              { name: "sidecar", image: "x", environment: [{ name: "A", value: "1" }] },
              { name: "main", image: "y", environment: [{ name: "IMAGE_QUEUE", value: "Q" }] },
            ],
          }),
        );
      }
      const r = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "alpha",
          containerDefinitions: [{ name: "c", image: "i" }],
        }),
      );
      assert.equal(r.taskDefinition?.revision, 2);
      assert.equal(
        r.taskDefinition?.taskDefinitionArn,
        "arn:aws:ecs:us-west-2:123456789012:task-definition/alpha:2",
      );
      const short = (a: string) => a.split("/").pop();

      const asc = await ecs.send(new ListTaskDefinitionsCommand({}));
      assert.deepEqual(asc.taskDefinitionArns?.map(short), [
        "alpha:1",
        "alpha:2",
        "bravo:1",
        "bravo:2",
        "bravo:3",
        "charlie:1",
      ]);
      const desc: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await ecs.send(
          new ListTaskDefinitionsCommand({ sort: "DESC", maxResults: 4, nextToken: token }),
        );
        desc.push(...(page.taskDefinitionArns ?? []).map((a) => short(a)!));
        token = page.nextToken;
        pages++;
      } while (token);
      assert.equal(pages, 2);
      assert.deepEqual(desc, ["charlie:1", "bravo:3", "bravo:2", "bravo:1", "alpha:2", "alpha:1"]);
      const fam = await ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: "bravo", sort: "DESC" }),
      );
      assert.deepEqual(fam.taskDefinitionArns?.map(short), ["bravo:3", "bravo:2", "bravo:1"]);

      const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "bravo" }));
      assert.equal(latest.taskDefinition?.revision, 3);
      assert.equal(
        latest.taskDefinition?.containerDefinitions?.[1]?.environment?.[0]?.name,
        "IMAGE_QUEUE",
      );
      const byRev = await ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: "bravo:1" }),
      );
      assert.equal(byRev.taskDefinition?.revision, 1);
      const missing = await errorOf(
        ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "zulu" })),
      );
      assert.equal(missing.name, "ClientException");
    } finally {
      ecs.destroy();
    }
  }, false);
});

Deno.test("sagemaker: ListEndpoints filters and pages; endpoint configs describe instance types", async () => {
  await withSim(async (sim) => {
    const sm = new SageMakerClient({ ...simClientConfig(sim), maxAttempts: 1 });
    try {
      const inService = await sm.send(
        new ListEndpointsCommand({
          StatusEquals: "InService",
          SortBy: "Name",
          SortOrder: "Ascending",
        }),
      );
      assert.deepEqual(inService.Endpoints?.map((e) => e.EndpointName), [
        "aircraft",
        "centerpoint",
        "flood",
      ]);
      assert.ok(inService.Endpoints?.[0]?.CreationTime instanceof Date);
      const all = await sm.send(new ListEndpointsCommand({}));
      assert.equal(all.Endpoints?.length, 4);
      assert.equal(
        all.Endpoints?.find((e) => e.EndpointName === "maintenance")?.EndpointStatus,
        "Updating",
      );

      const names: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await sm.send(
          new ListEndpointsCommand({
            MaxResults: 3,
            NextToken: token,
            SortBy: "Name",
            SortOrder: "Descending",
          }),
        );
        names.push(...(page.Endpoints ?? []).map((e) => e.EndpointName!));
        token = page.NextToken;
        pages++;
      } while (token);
      assert.equal(pages, 2);
      assert.deepEqual(names, ["maintenance", "flood", "centerpoint", "aircraft"]);
      const contains = await sm.send(new ListEndpointsCommand({ NameContains: "oo" }));
      assert.deepEqual(contains.Endpoints?.map((e) => e.EndpointName), ["flood"]);

      const configs = await sm.send(new ListEndpointConfigsCommand({ NameContains: "center" }));
      assert.deepEqual(configs.EndpointConfigs?.map((c) => c.EndpointConfigName), [
        "centerpoint-config",
      ]);
      const cfg = await sm.send(
        new DescribeEndpointConfigCommand({ EndpointConfigName: "flood-config" }),
      );
      assert.equal(cfg.ProductionVariants?.[0]?.InstanceType, "ml.m5.xlarge");
      assert.equal(cfg.ProductionVariants?.[0]?.InitialInstanceCount, 2);
      const missing = await errorOf(
        sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: "nope" })),
      );
      assert.equal(missing.name, "ValidationException");
    } finally {
      sm.destroy();
    }
  });
});

Deno.test("sts: GetCallerIdentity answers the simulator's account; unsigned requests are refused", async () => {
  await withSim(async (sim) => {
    const sts = new STSClient({ ...simClientConfig(sim), maxAttempts: 1 });
    try {
      const id = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(id.Account, "123456789012");
      assert.match(id.Arn ?? "", /^arn:aws:iam::123456789012:/);
      const res = await fetch(sim.endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=GetCallerIdentity&Version=2011-06-15",
      });
      assert.equal(res.status, 403);
      assert.match(await res.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    } finally {
      sts.destroy();
    }
  }, false);
});

Deno.test("costexplorer: AWSInsightsIndexService requests reach the Cost Explorer handler", async () => {
  await withSim(async (sim) => {
    const ce = new CostExplorerClient({
      ...simClientConfig(sim),
      region: "us-east-1",
      maxAttempts: 1,
    });
    try {
      const hour = Date.UTC(2030, 0, 1, 10);
      sim.ledger.record("Amazon Simple Queue Service", "Requests-Tier1", 1_000_000, hour);
      const today = new Date().toISOString().slice(0, 10);
      const out = await ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: "2020-01-01", End: today },
          Granularity: "MONTHLY",
          Metrics: ["UnblendedCost"],
        }),
      );
      assert.ok(Array.isArray(out.ResultsByTime));
      sim.faults.set({ deny: ["CostExplorer.GetCostAndUsage"] });
      const denied = await errorOf(
        ce.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: "2020-01-01", End: today },
            Granularity: "MONTHLY",
            Metrics: ["UnblendedCost"],
          }),
        ),
      );
      assert.equal(denied.name, "AccessDeniedException");
    } finally {
      ce.destroy();
    }
  }, false);
});
