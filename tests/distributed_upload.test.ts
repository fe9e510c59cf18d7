/**
 * `--results-to`: a run uploads every output to `<prefix>/<run-id>/gen-<index>/`
 * (real run against the simulator's S3, then `osml-load merge` from there);
 * the statistics file goes last; progress is uploaded while the run goes, so a
 * generator that dies leaves what it had; a missing bucket is refused at start;
 * a failed upload fails the output with a message naming the place.
 */
import assert from "node:assert/strict";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type PutObjectCommandInput,
  S3Client,
} from "@aws-sdk/client-s3";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { mergeCommand } from "../mod/commands/merge.ts";
import { ExitCode } from "../mod/exit_codes.ts";
import { simClientConfig } from "../mod/sim/aws/client_config.ts";
import type { Simulator } from "../mod/sim/simulator.ts";
import type { OutputContext } from "../mod/output/output.ts";
import { createResultsUploadOutput } from "../mod/output/results_upload.ts";
import { UsageError } from "../mod/usage_error.ts";
import { shortRun, withSimulator } from "./engine_test_support.ts";

const CTX = { configuration: [["Region", "us-west-2 (AWS_REGION)"]] } as unknown as OutputContext;

function s3Of(sim: Simulator): S3Client {
  return new S3Client({ ...simClientConfig(sim), forcePathStyle: true, maxAttempts: 1 });
}

async function keysUnder(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function textOf(s3: S3Client, bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return await out.Body!.transformToString();
}

/** A client that records the keys it puts, and fails puts when `failPuts` is set. */
function recordingClient(s3: S3Client, options: { failPuts?: boolean } = {}) {
  const puts: string[] = [];
  const original = s3.send.bind(s3);
  // deno-lint-ignore no-explicit-any
  (s3 as any).send = (command: { input: PutObjectCommandInput; constructor: { name: string } }) => {
    if (command.constructor.name === "PutObjectCommand") {
      if (options.failPuts) return Promise.reject(new Error("network is down"));
      puts.push(command.input.Key!);
    }
    // deno-lint-ignore no-explicit-any
    return original(command as any);
  };
  return puts;
}

Deno.test("a run with --results-to uploads every output to <prefix>/<run-id>/gen-<index>/, and merge reads it from there", async () => {
  await withSimulator({ modelRunner: { msPerMegapixel: 0.05, fixedMs: 20 } }, async (sim, dir) => {
    const bucket = `mr-bucket-sink-${sim.account}`;
    const lines: string[] = [];
    const result = await runLoadTest(
      shortRun(sim, dir, {
        resultsTo: `s3://${bucket}/load-tests`,
        output: `${dir}/csv/run`,
        html: `${dir}/report.html`,
        json: `${dir}/stats.json`,
      }, { OSML_LOAD_RUN_ID: "run-up", OSML_LOAD_GENERATOR_INDEX: "0" }),
      {
        handleSignals: false,
        write: (line) => lines.push(line),
        log: new RunLog({ verbose: false, console: () => {} }),
      },
    );
    assert.notEqual(result.exitCode, ExitCode.ToolFailed, result.failures.join("; "));
    assert.ok(lines.includes(`Uploaded 12 file(s) to s3://${bucket}/load-tests/run-up/gen-0/`));
    const s3 = s3Of(sim);
    try {
      const prefix = "load-tests/run-up/gen-0/";
      assert.deepEqual(
        await keysUnder(s3, bucket, "load-tests/"),
        [
          "job_log.log",
          "job_records.jsonl",
          "job_status.json",
          "job_summary.json",
          "osml-load-stats.json",
          "report.html",
          "run_exceptions.csv",
          "run_failures.csv",
          "run_jobs_history.csv",
          "run_stats.csv",
          "run_stats_history.csv",
          "stats.json",
        ].map((name) => `${prefix}${name}`).sort(),
      );
      for (const name of ["osml-load-stats.json", "job_status.json", "job_summary.json"]) {
        assert.equal(
          await textOf(s3, bucket, `${prefix}${name}`),
          await Deno.readTextFile(`${dir}/logs/${name}`),
          name,
        );
      }
      assert.equal(
        await textOf(s3, bucket, `${prefix}run_stats.csv`),
        await Deno.readTextFile(`${dir}/csv/run_stats.csv`),
      );
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}report.html` }),
      );
      assert.match(head.ContentType ?? "", /^text\/html/);
    } finally {
      s3.destroy();
    }

    const err: string[] = [];
    const code = await mergeCommand({
      sources: [`s3://${bucket}/load-tests/run-up/`],
      logDir: `${dir}/merged`,
    }, { stdout: () => {}, stderr: (l) => err.push(l), env: sim.env });
    assert.equal(code, ExitCode.Ok, err.join("\n"));
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/merged/job_summary.json`));
    assert.equal(summary.total_image_sent, result.jobs.total_image_sent);
    const merged = JSON.parse(await Deno.readTextFile(`${dir}/merged/osml-load-stats.json`));
    assert.deepEqual(merged.merged_from.map((g: { index: number }) => g.index), [0]);
  });
});

Deno.test("results upload: progress while the run goes, everything at the end, the statistics last", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const bucket = `mr-bucket-sink-${sim.account}`;
    await Deno.mkdir(`${dir}/logs`);
    for (const name of ["job_summary.json", "job_status.json", "osml-load-stats.json"]) {
      await Deno.writeTextFile(`${dir}/logs/${name}`, `{"name":"${name}"}`);
    }
    await Deno.writeTextFile(`${dir}/report.html`, "<html></html>");
    const s3 = s3Of(sim);
    const puts = recordingClient(s3);
    try {
      const output = createResultsUploadOutput({
        destination: { bucket, prefix: "p" },
        generator: { index: 0, host: null, run_id: "r1" },
        logDir: `${dir}/logs`,
        files: [
          `${dir}/logs/job_status.json`,
          `${dir}/logs/osml-load-stats.json`,
          `${dir}/logs/job_summary.json`,
          `${dir}/report.html`,
          `${dir}/not-written.csv`,
        ],
        intervalMs: 1000,
        client: s3,
      });
      await output.start!(CTX);
      await output.tick!(CTX, 10_000);
      await output.tick!(CTX, 10_500); // within the interval: nothing more
      // The progress upload runs in the background: a generator killed now leaves these two.
      const deadline = Date.now() + 30_000;
      while ((await keysUnder(s3, bucket, "p/r1/gen-0/")).length < 2) {
        if (Date.now() > deadline) throw new Error("no progress upload");
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(await keysUnder(s3, bucket, "p/r1/gen-0/"), [
        "p/r1/gen-0/job_summary.json",
        "p/r1/gen-0/osml-load-stats.json",
      ]);
      assert.deepEqual(puts, ["p/r1/gen-0/job_summary.json", "p/r1/gen-0/osml-load-stats.json"]);

      puts.length = 0;
      await output.finish(CTX);
      assert.deepEqual(puts, [
        "p/r1/gen-0/job_status.json",
        "p/r1/gen-0/report.html",
        "p/r1/gen-0/job_summary.json",
        "p/r1/gen-0/osml-load-stats.json",
      ]);
    } finally {
      s3.destroy();
    }
  });
});

Deno.test("results upload: a missing bucket is refused at start; a failed upload names the place and the fix", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const s3 = s3Of(sim);
    try {
      const missing = createResultsUploadOutput({
        destination: { bucket: "no-such-results", prefix: "" },
        generator: { index: 1, host: null, run_id: "r2" },
        logDir: dir,
        files: [],
        client: s3,
      });
      await assert.rejects(
        Promise.resolve(missing.start!(CTX)),
        (e: unknown) =>
          e instanceof UsageError &&
          /S3 bucket 'no-such-results' does not exist \(--results-to s3:\/\/no-such-results\)/
            .test(e.message),
      );
      // After a refused start, the end of the run does not try again.
      await missing.finish(CTX);

      await Deno.writeTextFile(`${dir}/osml-load-stats.json`, "{}");
      const failing = s3Of(sim);
      recordingClient(failing, { failPuts: true });
      const output = createResultsUploadOutput({
        destination: { bucket: `mr-bucket-sink-${sim.account}`, prefix: "x/" },
        generator: { index: 1, host: null, run_id: "r2" },
        logDir: dir,
        files: [`${dir}/osml-load-stats.json`],
        client: failing,
      });
      await output.start!(CTX);
      await assert.rejects(
        Promise.resolve(output.finish(CTX)),
        /could not upload the results to s3:\/\/mr-bucket-sink-\d+\/x\/r2\/gen-1\/ \(Error: network is down\): check the bucket/,
      );
      failing.destroy();
    } finally {
      s3.destroy();
    }
  });
});
