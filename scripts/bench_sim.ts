/**
 * Benchmark of the simulator's SQS with the real AWS SDK: starts the simulator
 * in another process (`scripts/sim_server.ts`), then measures
 *
 * 1. SendMessage/s with several concurrent senders;
 * 2. received+deleted messages/s (ReceiveMessage of 10 + DeleteMessageBatch)
 *    at queue depth ~10 (a SendMessageBatch of 10 in each loop keeps the
 *    depth there, so those loops also send);
 * 3. the same loop at depth 100,000;
 * 4. receive+delete only, at depth 100,000;
 *
 * and prints a table with the simulator process's CPU share during each row
 * (so a client-bound row shows as such). Run: `deno run -A scripts/bench_sim.ts [seconds]`.
 *
 * @example
 * ```sh
 * deno run -A scripts/bench_sim.ts 5
 * ```
 * @module
 */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

const SECONDS = Number(Deno.args[0] ?? "5");

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function startServer(port: number): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-net",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      new URL("./sim_server.ts", import.meta.url).pathname,
      String(port),
      "--no-model-runner",
      "--no-seed",
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("Press Ctrl-C")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the simulator process ended early:\n${out}`);
    out += value;
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return child;
}

async function forDuration(
  concurrency: number,
  seconds: number,
  step: () => Promise<number>,
): Promise<{ count: number; seconds: number }> {
  const end = performance.now() + seconds * 1000;
  let count = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const n = await step(); // (not `count += await step()`: that loses updates)
        count += n;
      }
    }),
  );
  return { count, seconds: (performance.now() - start) / 1000 };
}

/** CPU seconds (user + system) a process used so far, from /proc (Linux); NaN elsewhere. */
async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function depth(sqs: SQSClient, QueueUrl: string): Promise<number> {
  const a = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return Number(a.Attributes?.ApproximateNumberOfMessages ?? 0);
}

const entries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: `{"bench":${i}}` }));

async function main(): Promise<void> {
  const port = freePort();
  const child = await startServer(port);
  const sqs = new SQSClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-west-2",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const rows: string[][] = [];
  const measure = async (
    label: string,
    depthText: () => Promise<string>,
    concurrency: number,
    step: () => Promise<number>,
  ) => {
    const before = await depthText();
    const cpu0 = await cpuSeconds(child.pid);
    const r = await forDuration(concurrency, SECONDS, step);
    const cpu = (await cpuSeconds(child.pid)) - cpu0;
    const rate = r.count / r.seconds;
    const share = cpu / r.seconds;
    rows.push([
      label,
      `${before} -> ${await depthText()}`,
      `${Math.round(rate)} msg/s`,
      Number.isFinite(share) ? `${Math.round(share * 100)} %` : "?",
      Number.isFinite(share) && share > 0 ? `${Math.round(rate / share)} msg/s` : "?",
    ]);
  };
  try {
    const send = (await sqs.send(new CreateQueueCommand({ QueueName: "bench-send" }))).QueueUrl!;
    // Warm up connections and JIT.
    await forDuration(8, 0.5, async () => {
      await sqs.send(new SendMessageCommand({ QueueUrl: send, MessageBody: "warm" }));
      return 1;
    });
    await measure("SendMessage, 16 senders", () => Promise.resolve("-"), 16, async () => {
      await sqs.send(new SendMessageCommand({ QueueUrl: send, MessageBody: '{"jobId":"bench"}' }));
      return 1;
    });

    const cycle = (QueueUrl: string, withSend: boolean) => async () => {
      if (withSend) await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(10) }));
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      const msgs = r.Messages ?? [];
      if (msgs.length === 0) return 0;
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: msgs.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
      return msgs.length;
    };

    const shallow = (await sqs.send(new CreateQueueCommand({ QueueName: "bench-d10" }))).QueueUrl!;
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: shallow, Entries: entries(10) }));
    const depthOf = (url: string) => async () => String(await depth(sqs, url));
    await measure("send 10 + receive 10 + delete batch", depthOf(shallow), 8, cycle(shallow, true));

    const deep = (await sqs.send(new CreateQueueCommand({ QueueName: "bench-d100k" }))).QueueUrl!;
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let i = 0; i < 625; i++) {
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: deep, Entries: entries(10) }));
      }
    }));
    while ((await depth(sqs, deep)) < 100_000) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: deep, Entries: entries(10) }));
    }
    await measure("send 10 + receive 10 + delete batch", depthOf(deep), 8, cycle(deep, true));
    await measure("receive 10 + delete batch", depthOf(deep), 8, cycle(deep, false));
  } finally {
    sqs.destroy();
    child.kill("SIGTERM");
    await child.status;
  }
  const load = await Deno.readTextFile("/proc/loadavg").catch(() => "?");
  const widths = [36, 18, 12, 8, 16];
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(" | ");
  console.log(
    `Simulator SQS benchmark (real AWS SDK, ${SECONDS} s per row, ${navigator.hardwareConcurrency} CPUs)`,
  );
  console.log(line(["operation", "depth before->after", "rate", "sim CPU", "rate at 1 core"]));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const r of rows) console.log(line(r));
  console.log(`load average: ${load.trim()}`);
  console.log(
    "sim CPU = the simulator process's CPU use during the row (100 % = one core); below 100 %\n" +
      "the SDK client, not the simulator, was the limit. 'rate at 1 core' = rate / sim CPU.",
  );
}

if (import.meta.main) await main();
