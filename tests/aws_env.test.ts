/**
 * The AWS clients read the environment they are given, not the process's, so
 * tests can run in parallel in one process: the client configuration built
 * from an environment; every client, and a whole run with its workers,
 * reaching an injected endpoint while the process environment points to a dead
 * port; and no test module changing the process environment or working folder.
 */
import { strict as assert } from "node:assert";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { awsClientConfig, clientEnv, staticCredentials } from "../mod/aws/client_config.ts";
import { endpointOf } from "../mod/aws/call_deadline.ts";
import { withSimulator } from "./engine_test_support.ts";
import { RUN_PERMISSIONS } from "./run_test_support.ts";

const TESTS = dirname(fileURLToPath(import.meta.url));

Deno.test("client configuration: endpoint, static credentials and S3 path style come from the given environment only", () => {
  const env = {
    AWS_ENDPOINT_URL: "http://127.0.0.1:1",
    AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:2",
    AWS_ACCESS_KEY_ID: "id",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_SESSION_TOKEN: "token",
  };
  assert.deepEqual(awsClientConfig("sqs", { region: "eu-west-1", env }), {
    region: "eu-west-1",
    endpoint: "http://127.0.0.1:2",
    credentials: { accessKeyId: "id", secretAccessKey: "secret", sessionToken: "token" },
  });
  assert.equal(awsClientConfig("sns", { region: "eu-west-1", env }).endpoint, "http://127.0.0.1:1");
  assert.equal(awsClientConfig("s3", { region: "eu-west-1", env }).forcePathStyle, true);
  // Nothing set: no endpoint, no credentials (the SDK's default chain), virtual-hosted S3.
  assert.deepEqual(awsClientConfig("s3", { region: "eu-west-1", env: {} }), {
    region: "eu-west-1",
  });
  // A key without its secret is no static credential (the default chain decides).
  assert.equal(staticCredentials({ AWS_ACCESS_KEY_ID: "id" }), undefined);
  assert.equal(endpointOf("cost_explorer", "eu-west-1", {}), "https://ce.us-east-1.amazonaws.com");
  assert.equal(endpointOf("sqs", "eu-west-1", env), "http://127.0.0.1:2");
  // What a worker is handed: its service's endpoint and the credentials, nothing else.
  assert.deepEqual(Object.keys(clientEnv("sqs", { ...env, HOME: "/root", PATH: "/bin" })).sort(), [
    "AWS_ACCESS_KEY_ID",
    "AWS_ENDPOINT_URL_SQS",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
  ]);
});

Deno.test("every client and a whole run (workers too) reach the injected endpoint while the process environment points to a dead port", async () => {
  await withSimulator({
    modelRunner: { msPerMegapixel: 0.05, fixedMs: 20, failureRate: 0, partialRate: 0 },
  }, async (sim, dir) => {
    const bucket = sim.seeded!.imageBucket;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...RUN_PERMISSIONS, join(TESTS, "injected_env_child.ts"), bucket, dir],
      env: {
        NO_COLOR: "1",
        // The process's own AWS settings: a port nothing listens on, other credentials.
        AWS_ENDPOINT_URL: "http://127.0.0.1:9",
        AWS_REGION: "eu-north-1",
        AWS_ACCESS_KEY_ID: "not-these",
        AWS_SECRET_ACCESS_KEY: "not-these",
        AWS_EC2_METADATA_DISABLED: "true",
        OSML_LOAD_TEST_INJECTED_ENV: JSON.stringify(sim.env),
      },
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
      signal: AbortSignal.timeout(120_000),
    });
    const { code, stdout, stderr } = await child.output();
    const err = new TextDecoder().decode(stderr);
    assert.equal(code, 0, err);
    const out = JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!);
    assert.match(out.queueUrl, new RegExp(`^${sim.endpoint}/\\d+/injected-env$`));
    assert.ok(sim.state.queue("injected-env"), "the queue was made in the simulator");
    assert.equal(sim.state.s3.getObject(bucket, "injected-env.txt")?.size, 5, "path-style S3");
    assert.ok(out.topics > 0, "SNS");
    assert.ok(out.families > 0, "ECS");
    assert.equal(out.account, sim.account, "STS");
    assert.ok(out.endpoints > 0, "SageMaker");
    assert.equal(out.costPeriods, 1, "Cost Explorer");
    assert.deepEqual(out.failures, []);
    assert.ok(out.sent > 0, `the user workers sent jobs: ${err}`);
    assert.ok(out.done > 0, "the monitor worker read their statuses");
  });
});

Deno.test("no test module changes the process environment or working folder (tests run in parallel in one process)", () => {
  const forbidden =
    /Deno\.env\.(set|delete)\s*\(|Deno\.chdir\s*\(|process\.env\.[A-Za-z_]+\s*=[^=]/;
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) {
        if (entry.name !== "fixtures") walk(path);
      } else if (path.endsWith(".ts") && path !== fileURLToPath(import.meta.url)) {
        const text = Deno.readTextFileSync(path);
        text.split("\n").forEach((line, i) => {
          if (forbidden.test(line)) {
            offenders.push(`${relative(resolve(TESTS, ".."), path)}:${i + 1}`);
          }
        });
      }
    }
  };
  walk(TESTS);
  assert.deepEqual(offenders, [], "set the environment of a child process, or pass `env` instead");
});
