/**
 * The ECS example and its IAM policy, checked against the code: the policy
 * allows exactly the AWS calls the tool makes, and the task definition only
 * uses flags and environment variables the tool knows.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { buildProgram } from "../mod/commands/program.ts";
import { ROOT } from "./dist_test_support.ts";

/** IAM service prefix of each AWS SDK client package. */
const SERVICE: Record<string, string> = {
  "client-sqs": "sqs",
  "client-sns": "sns",
  "client-s3": "s3",
  "client-ecs": "ecs",
  "client-sagemaker": "sagemaker",
  "client-sts": "sts",
  "client-cost-explorer": "ce",
};

/** SDK operations whose IAM action has another name. */
const ACTION_OF: Record<string, string> = {
  "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
  "sqs:SendMessageBatch": "sqs:SendMessage",
  "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
  "s3:HeadBucket": "s3:ListBucket",
  "s3:ListObjectsV2": "s3:ListBucket",
  "s3:ListObjects": "s3:ListBucket",
  "s3:HeadObject": "s3:GetObject",
};

/**
 * Actions a call needs besides its own: RunTask passes the task definition's
 * roles to ECS (`iam:PassRole`, which no SDK call of the tool names).
 */
const IMPLIED: Record<string, string[]> = {
  "ecs:RunTask": ["iam:PassRole"],
};

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

/** Every IAM action the tool's code needs, with the files that need it. */
async function actionsInCode(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const sim = join(ROOT, "mod", "sim");
  for (const dir of [join(ROOT, "mod"), join(ROOT, "workers")]) {
    for await (const file of sourceFiles(dir)) {
      if (file.startsWith(sim + "/")) continue; // the simulator serves AWS; it does not call it
      const code = (await Deno.readTextFile(file))
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/^\s*\/\/.*$/gm, "");
      const imports = code.matchAll(
        /import\s*\{([^}]*)\}\s*from\s*["']@aws-sdk\/(client-[a-z0-9-]+)["']/g,
      );
      for (const [, names = "", pkg = ""] of imports) {
        const service = SERVICE[pkg];
        assert.ok(service, `${pkg} (in ${file}) has no IAM prefix here: add it to SERVICE`);
        for (const raw of names.split(",")) {
          const name = raw.trim();
          if (name === "" || name.startsWith("type ")) continue;
          const operation = /^(\w+)Command$/.exec(name)?.[1] ??
            /^paginate(\w+)$/.exec(name)?.[1];
          if (!operation) continue;
          const action = ACTION_OF[`${service}:${operation}`] ?? `${service}:${operation}`;
          for (const needed of [action, ...(IMPLIED[action] ?? [])]) {
            found.set(needed, [...(found.get(needed) ?? []), relative(ROOT, file)]);
          }
        }
      }
    }
  }
  const services = new Set([...found.keys()].map((action) => action.split(":")[0]));
  for (const service of Object.values(SERVICE)) {
    assert.ok(
      services.has(service),
      `found no ${service} call in the code: is the import scan broken?`,
    );
  }
  return found;
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

async function policy(): Promise<{ Version: string; Statement: Statement[] }> {
  return JSON.parse(await Deno.readTextFile(join(ROOT, "deploy", "iam-policy.json")));
}

Deno.test("the IAM policy allows exactly the AWS calls the tool makes", async () => {
  const needed = await actionsInCode();
  const { Version, Statement } = await policy();
  assert.equal(Version, "2012-10-17");
  const allowed = new Set<string>();
  for (const statement of Statement) {
    assert.equal(statement.Effect, "Allow", `statement ${statement.Sid}`);
    for (const action of [statement.Action].flat()) {
      assert.doesNotMatch(action, /\*/, `no wildcard actions (${statement.Sid})`);
      allowed.add(action);
    }
  }
  for (const [action, files] of needed) {
    assert.ok(
      allowed.has(action),
      `${files.join(", ")} call ${action} but deploy/iam-policy.json does not allow it: ` +
        `add it (scoped to its resource) and list it in docs/distribution.md`,
    );
  }
  for (const action of allowed) {
    assert.ok(
      needed.has(action),
      `deploy/iam-policy.json allows ${action}, which the tool never calls: remove it (least privilege)`,
    );
  }
});

Deno.test("the IAM policy scopes queue and bucket actions to their resources", async () => {
  for (const statement of (await policy()).Statement) {
    const actions = [statement.Action].flat();
    const resources = [statement.Resource].flat();
    if (actions.some((a) => a.startsWith("sqs:") || a.startsWith("s3:"))) {
      for (const resource of resources) {
        assert.match(resource, /^arn:aws:(sqs|s3):/, `${statement.Sid}: ${resource}`);
      }
    }
  }
});

Deno.test("docs/distribution.md lists every IAM action of the policy", async () => {
  const docs = await Deno.readTextFile(join(ROOT, "docs", "distribution.md"));
  for (const statement of (await policy()).Statement) {
    for (const action of [statement.Action].flat()) {
      assert.ok(docs.includes(action), `docs/distribution.md does not mention ${action}`);
    }
  }
});

Deno.test("the ECS task definition runs the container with flags and settings the tool knows", async () => {
  const task = JSON.parse(
    await Deno.readTextFile(join(ROOT, "deploy", "ecs-task-definition.json")),
  );
  assert.deepEqual(task.requiresCompatibilities, ["FARGATE"]);
  assert.equal(task.networkMode, "awsvpc", "Fargate tasks need awsvpc");
  const [container, ...others] = task.containerDefinitions;
  assert.equal(others.length, 0);
  assert.equal(container.linuxParameters?.initProcessEnabled, true, "an init forwards SIGTERM");
  assert.equal(container.logConfiguration?.logDriver, "awslogs");
  const command: string[] = container.command;
  assert.equal(command[0], "run");
  assert.ok(command.includes("--headless"));

  const run = buildProgram().commands.find((c) => c.name() === "run");
  assert.ok(run);
  const known = new Set(run.options.flatMap((o) => [o.long, o.short]).filter(Boolean));
  for (const word of command.slice(1).filter((w) => w.startsWith("-"))) {
    assert.ok(known.has(word), `the task definition passes ${word}, which \`run\` does not know`);
  }
  const outputs = command.filter((_, i) =>
    ["--output", "--json", "--html", "--log-dir"].includes(command[i - 1] ?? "")
  );
  for (const path of outputs) assert.match(path, /^\/out\//, "outputs go to the /out volume");

  const source = [];
  for await (const file of sourceFiles(join(ROOT, "mod"))) {
    source.push(await Deno.readTextFile(file));
  }
  const all = source.join("\n");
  for (const { name } of container.environment as Array<{ name: string }>) {
    if (name.startsWith("AWS_")) continue; // read by the AWS SDK
    assert.ok(
      all.includes(`"${name}"`),
      `the task definition sets ${name}, which the tool never reads`,
    );
  }
});
