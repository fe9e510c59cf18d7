// `osml-load sim`: flag validation in-process; serving and clean shutdown in a subprocess.
import assert from "node:assert/strict";
import { Command } from "commander";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { registerSimCommand, simulatorOptionsFrom } from "../mod/commands/sim_command.ts";
import { runCli } from "../mod/commands/run_cli.ts";

function program(): Command {
  const p = new Command("osml-load");
  registerSimCommand(p);
  return p;
}

Deno.test("sim command: bad numbers are one-line usage errors (exit 2)", async () => {
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args.join(" "));
  try {
    assert.equal(await runCli(program(), ["sim", "--port", "abc"]), 2);
    assert.equal(await runCli(program(), ["sim", "--failure-rate", "1.5"]), 2);
    assert.equal(await runCli(program(), ["sim", "--workers", "2.5"]), 2);
  } finally {
    console.error = original;
  }
  assert.match(errors[0] ?? "", /--port must be an integer from 0 to 65535 \(got "abc"\)/);
  assert.match(errors[1] ?? "", /--failure-rate must be a number from 0 to 1/);
  assert.match(errors[2] ?? "", /--workers must be an integer/);
});

Deno.test("sim command: flags become simulator options", () => {
  const o = simulatorOptionsFrom({
    port: 0,
    region: "eu-west-1",
    account: "111122223333",
    workers: 2,
    msPerMegapixel: 50,
    modelRunner: true,
    throttleRate: 0.1,
    latencyMs: 20,
  });
  assert.deepEqual(o, {
    port: 0,
    region: "eu-west-1",
    account: "111122223333",
    modelRunner: { workers: 2, msPerMegapixel: 50 },
    faults: { throttle: { probability: 0.1 }, latency: { probability: 1, ms: 20 } },
  });
  assert.equal(
    simulatorOptionsFrom({ port: 1, region: "r", account: "a", modelRunner: false }).modelRunner,
    false,
  );
});

Deno.test("sim command: serves, prints the export lines, and stops cleanly on SIGTERM", async () => {
  const root = new URL("..", import.meta.url);
  const dir = await Deno.makeTempDir({ prefix: "sim-cmd-test-" });
  try {
    const script = `${dir}/cli.ts`;
    await Deno.writeTextFile(
      script,
      `import { Command } from "commander";
import { registerSimCommand } from "${new URL("mod/commands/sim_command.ts", root).href}";
import { runCli } from "${new URL("mod/commands/run_cli.ts", root).href}";
const p = new Command("osml-load");
registerSimCommand(p);
Deno.exit(await runCli(p, Deno.args));
`,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--config",
        new URL("deno.json", root).pathname,
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-sys",
        script,
        "sim",
        "--port",
        "0",
        "--no-model-runner",
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("Press Ctrl-C")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const env = Object.fromEntries(
      [...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    assert.match(env.AWS_ENDPOINT_URL ?? "", /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(env.AWS_REGION, "us-west-2");
    assert.equal(env.AWS_ACCESS_KEY_ID, "test");
    assert.match(out, /ImageRequestQueue/);
    const sts = new STSClient({
      endpoint: env.AWS_ENDPOINT_URL!,
      region: env.AWS_REGION!,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    try {
      const id = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(id.Account, "123456789012");
    } finally {
      sts.destroy();
    }
    child.kill("SIGTERM");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const status = await child.status;
    await child.stderr.cancel();
    assert.equal(status.code, 0);
    assert.match(out, /Simulator stopped/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim command: its export lines are enough for run --headless (buckets included)", async () => {
  const root = new URL("..", import.meta.url);
  const dir = await Deno.makeTempDir({ prefix: "sim-exports-test-" });
  const stop = new AbortController();
  const lines: string[] = [];
  let ready!: () => void;
  const up = new Promise<void>((resolve) => ready = resolve);
  const { serveSimulator } = await import("../mod/commands/sim.ts");
  const serving = serveSimulator(
    { port: 0, modelRunner: { fixedMs: 10, msPerMegapixel: 0, failureRate: 0, partialRate: 0 } },
    {
      signal: stop.signal,
      handleSignals: false,
      print: (l) => lines.push(l),
      onReady: () => ready(),
    },
  );
  try {
    await up;
    const exported = Object.fromEntries(
      lines.flatMap((l) => {
        const m = /^export (\w+)=(.*)$/.exec(l);
        return m ? [[m[1]!, m[2]!]] : [];
      }),
    );
    assert.match(
      exported.S3_LOAD_TEST_SOURCE_IMAGE_BUCKET ?? "",
      /^s3:\/\/osml-test-images-\d{12}$/,
    );
    assert.match(exported.S3_LOAD_TEST_RESULT_BUCKET ?? "", /^s3:\/\/mr-bucket-sink-\d{12}$/);
    // A shell with nothing but the export lines (and what deno itself needs).
    const env: Record<string, string> = { ...exported };
    for (const name of ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME"]) {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    }
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--config",
        new URL("deno.json", root).pathname,
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-sys",
        new URL("main.ts", root).pathname,
        "run",
        "--headless",
        "-t",
        "2s",
        "-u",
        "2",
        "-r",
        "2",
        "--log-dir",
        `${dir}/logs`,
      ],
      cwd: dir,
      clearEnv: true,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.doesNotMatch(stderr, /is required/);
    assert.equal(output.code, 0, stderr);
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_summary.json`));
    assert.ok(summary.total_image_sent > 0, "the run sent no jobs");
  } finally {
    stop.abort();
    await serving;
    await Deno.remove(dir, { recursive: true });
  }
});
