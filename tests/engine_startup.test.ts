import assert from "node:assert/strict";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { prepareRun } from "../mod/engine/prepare_run.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { UsageError } from "../mod/usage_error.ts";
import { shortRun, withSimulator } from "./engine_test_support.ts";

const quiet = () => new RunLog({ verbose: false, console: () => {} });
const env = (name: string, value: string) => ({ name, value });

Deno.test("discovery reads the newest matching task definition and the container carrying IMAGE_QUEUE", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    sim.state.createQueue("OtherRequestQueue");
    sim.state.createQueue("OtherStatusQueue");
    sim.state.createQueue("CustomStatus");
    // A newer revision of a family that sorts after the stock one: DESC picks it first.
    sim.state.registerTaskDefinition({
      family: "zz-ModelRunnerDataplane",
      containerDefinitions: [
        { name: "sidecar", environment: [env("IMAGE_QUEUE", "")] },
        {
          name: "ModelRunnerContainer",
          environment: [
            env("IMAGE_QUEUE", sim.state.awsQueueUrl("OtherRequestQueue")),
            env("KINESIS_RESULTS_STREAM_PREFIX", "custom-sink"),
          ],
        },
      ],
    });
    let prepared = await prepareRun(shortRun(sim, dir), quiet());
    assert.equal(prepared.deployment.taskDefinition, "zz-ModelRunnerDataplane:1");
    assert.equal(prepared.deployment.imageQueueName, "OtherRequestQueue");
    assert.equal(prepared.deployment.statusQueueName, "OtherStatusQueue");
    assert.equal(prepared.deployment.kinesisPrefix, "custom-sink");
    assert.equal(prepared.deployment.account, sim.account);
    // An explicit status queue in the container wins over the derived name.
    sim.state.registerTaskDefinition({
      family: "zz-ModelRunnerDataplane",
      containerDefinitions: [{
        name: "c",
        environment: [
          env("IMAGE_QUEUE", "OtherRequestQueue"),
          env("IMAGE_STATUS_QUEUE", sim.state.awsQueueUrl("CustomStatus")),
        ],
      }],
    });
    prepared = await prepareRun(shortRun(sim, dir), quiet());
    assert.equal(prepared.deployment.taskDefinition, "zz-ModelRunnerDataplane:2");
    assert.equal(prepared.deployment.statusQueueName, "CustomStatus");
    assert.equal(prepared.deployment.statusQueueSource, "IMAGE_STATUS_QUEUE");
    // TASK_DEFINITION_PATTERN selects another family; flags override everything.
    prepared = await prepareRun(
      shortRun(sim, dir, { mrStatusQueue: "CustomStatus", awsAccount: sim.account }, {
        TASK_DEFINITION_PATTERN: "osml-ModelRunnerDataplane",
      }),
      quiet(),
    );
    assert.equal(prepared.deployment.imageQueueName, "ImageRequestQueue");
    assert.equal(prepared.deployment.statusQueueSource, "--mr-status-queue");
    assert.equal(prepared.deployment.accountSource, "--aws-account");
  });
});

Deno.test("without a task definition, --mr-input-queue is enough; without either, a clear error", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const pattern = { TASK_DEFINITION_PATTERN: "NoSuchDeployment" };
    const prepared = await prepareRun(
      shortRun(sim, dir, { mrInputQueue: "ImageRequestQueue" }, pattern),
      quiet(),
    );
    assert.equal(prepared.deployment.imageQueueSource, "--mr-input-queue");
    assert.equal(prepared.deployment.statusQueueName, "ImageStatusQueue");
    assert.equal(prepared.deployment.accountSource, "STS");
    // A queue URL (as the console shows it) is as good as the name.
    const byUrl = await prepareRun(
      shortRun(sim, dir, {
        mrInputQueue: `${sim.endpoint}/${sim.account}/ImageRequestQueue`,
        mrStatusQueue: `${sim.endpoint}/${sim.account}/ImageStatusQueue`,
      }, pattern),
      quiet(),
    );
    assert.equal(byUrl.deployment.imageQueueName, "ImageRequestQueue");
    assert.equal(byUrl.deployment.statusQueueName, "ImageStatusQueue");
    await assert.rejects(
      prepareRun(shortRun(sim, dir, {}, pattern), quiet()),
      (e: Error) =>
        e instanceof UsageError &&
        /no ECS task definition matches "NoSuchDeployment" .* pass --mr-input-queue/.test(
          e.message,
        ),
    );
  });
});

Deno.test("start-up checks: each problem gets one clear line and nothing is written", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const fails = async (flags: Record<string, string>, pattern: RegExp) => {
      await assert.rejects(
        runLoadTest(shortRun(sim, dir, flags), {
          handleSignals: false,
          write: () => {},
          log: quiet(),
        }),
        (e: Error) =>
          e instanceof UsageError && pattern.test(e.message) && !e.message.includes("\n"),
      );
    };
    await fails(
      { sourceBucket: "s3://missing-bucket" },
      /S3 bucket 'missing-bucket' does not exist: check --source-bucket/,
    );
    await fails(
      { resultBucket: "s3://missing-results" },
      /S3 bucket 'missing-results' does not exist: check --result-bucket/,
    );
    await fails({ mrInputQueue: "NoSuchQueue" }, /request queue 'NoSuchQueue' not found/);
    await fails({ mrStatusQueue: "NoSuchStatus" }, /status queue 'NoSuchStatus' not found/);
    sim.state.createBucket("empty-images");
    await sim.state.putObject("empty-images", "readme.txt", "not an image");
    await fails(
      { sourceBucket: "s3://empty-images" },
      /no images found in s3:\/\/empty-images .* upload test images/,
    );
    sim.faults.set({ deny: ["S3.HeadBucket"] });
    await fails({}, /no permission to access S3 bucket 'osml-test-images-123456789012'/);
    sim.faults.set({});
    await assert.rejects(Deno.stat(`${dir}/logs`), "no log folder for a run that never started");
  });
});

Deno.test("images under a prefix, across pages, all seven extensions, case-insensitive", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    sim.state.createBucket("many-images");
    const png = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      0,
      0,
      0,
      13,
      0x49,
      0x48,
      0x44,
      0x52,
      0,
      0,
      0,
      7,
      0,
      0,
      0,
      3,
      8,
      2,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    ]);
    const keys: string[] = [];
    for (let i = 0; i < 1005; i++) keys.push(`set/img-${String(i).padStart(4, "0")}.PNG`);
    keys.push(
      "set/a.NTF",
      "set/b.nitf",
      "set/c.Tif",
      "set/d.tiff",
      "set/e.jpg",
      "set/f.JPEG",
      "set/g.txt",
      "other/h.png",
    );
    for (const key of keys) await sim.state.putObject("many-images", key, png);
    const prepared = await prepareRun(
      shortRun(sim, dir, { sourceBucket: "s3://many-images/set/" }),
      quiet(),
    );
    assert.equal(
      prepared.images.length,
      1005 + 6,
      "every page, only image extensions, only the prefix",
    );
    const pngs = prepared.images.filter((i) => i.key.endsWith(".PNG"));
    assert.ok(pngs.every((i) => i.pixels === 21), "PNG header read: 7 × 3");
  });
});
