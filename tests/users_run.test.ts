import assert from "node:assert/strict";
import { join } from "node:path";
import { runLoadTest } from "../mod/engine/load_test.ts";
import { resolveRunSettings, type RunFlags, type RunSettings } from "../mod/config/run_settings.ts";
import { RunLog } from "../mod/log/run_log.ts";
import { UsageError } from "../mod/usage_error.ts";
import type { Simulator } from "../mod/sim/simulator.ts";
import { sageMakerClient } from "../mod/aws/sagemaker_client.ts";
import { listEndpoints } from "../mod/users/endpoints.ts";
import { placeholderValues } from "../mod/users/request_file.ts";
import { withSimulator } from "./engine_test_support.ts";

const quiet = () => new RunLog({ verbose: false, console: () => {} });

/** Settings for a short run of the wait-for-completion kinds against the seeded simulator. */
function userRun(sim: Simulator, dir: string, flags: RunFlags): RunSettings {
  return resolveRunSettings({
    users: "1",
    spawnRate: "10",
    runTime: "3s",
    logDir: `${dir}/logs`,
    statsInterval: "1",
    ...flags,
  }, sim.env);
}

/** Write a request file of `entries` into `dir`; returns its path. */
async function requestFile(dir: string, name: string, entries: unknown): Promise<string> {
  const path = join(dir, name);
  await Deno.writeTextFile(path, JSON.stringify(entries, null, 2));
  return path;
}

function entry(image: string, endpoint: string, extra: Record<string, unknown> = {}) {
  return {
    imageUrls: [`{{test_imagery_location}}/${image}`],
    imageProcessor: { name: endpoint, type: "SM_ENDPOINT" },
    outputs: [{ type: "S3", bucket: "{{test_results_bucket}}", prefix: "{{test_results_prefix}}" }],
    imageProcessorTileSize: 512,
    imageProcessorTileOverlap: 128,
    imageProcessorTileFormat: "GTIFF",
    imageProcessorTileCompression: "NONE",
    postProcessing: [{
      step: "FEATURE_DISTILLATION",
      algorithm: { algorithmType: "NMS", iouThreshold: 0.75 },
    }],
    ...extra,
  };
}

/** The bodies waiting on the request queue (the model runner is pointed elsewhere). */
function queuedRequests(sim: Simulator): Array<Record<string, unknown>> {
  return sim.state.queue("ImageRequestQueue").peekVisible().map((m) => JSON.parse(m.body));
}

function samples(result: Awaited<ReturnType<typeof runLoadTest>>, type: string) {
  return result.stats.entries().filter((e) => e.type === type);
}

function count(entries: ReturnType<typeof samples>, key: "numRequests" | "numFailures"): number {
  return entries.reduce((n, e) => n + e[key], 0);
}

Deno.test("predefined users send the file's requests in turn, as written, with fresh ids; a wait past --job-timeout fails", async () => {
  // The model runner reads another queue, so requests stay on ImageRequestQueue to be read back
  // and no job ever finishes: every wait ends at --job-timeout.
  await withSimulator({ modelRunner: { requestQueue: "NotTheRequestQueue" } }, async (sim, dir) => {
    const entries = [
      entry("small.tif", "centerpoint"),
      entry("tile.ntf", "aircraft", { jobName: "nightly", regionOfInterest: null }),
    ];
    const path = await requestFile(dir, "requests.json", entries);
    const settings = userRun(sim, dir, {
      userClass: "test.load.predefined_requests_user.PredefinedRequestsUser",
      requestFile: path,
      runTime: "3.5s",
      jobTimeout: "1s",
      testResultsLocation: "s3://mr-bucket-sink-<account>/runs",
    });
    const result = await runLoadTest(settings, {
      handleSignals: false,
      write: () => {},
      log: quiet(),
    });
    const sent = queuedRequests(sim);
    assert.ok(sent.length >= 2, `expected at least 2 requests, got ${sent.length}`);
    const values = placeholderValues(
      `s3://osml-test-images-${sim.account}`,
      `s3://mr-bucket-sink-${sim.account}/runs`,
    );
    const ids = new Set<string>();
    sent.forEach((body, i) => {
      const template = JSON.parse(
        JSON.stringify(entries[i % entries.length]).replaceAll(
          /\{\{(\w+)\}\}/g,
          (_, name: string) => values[name]!,
        ),
      );
      const jobId = String(body.jobId);
      assert.match(jobId, /^[0-9a-f]{32}$/);
      ids.add(jobId);
      const jobName = template.jobName ? `${template.jobName}-${jobId}` : `test-${jobId}`;
      assert.deepEqual(body, { ...template, jobId, jobName }, `request ${i} is entry ${i % 2}`);
    });
    assert.equal(ids.size, sent.length, "a fresh jobId per submission");
    assert.equal(
      (sent[0]!.outputs as Array<Record<string, unknown>>)[0]!.bucket,
      `mr-bucket-sink-${sim.account}`,
      "the <account> placeholder is filled",
    );
    // One Process Image sample per request, named <file>:<endpoint>, failed by the timeout.
    const processed = samples(result, "Process Image");
    assert.deepEqual(processed.map((e) => e.name).sort(), [
      "small.tif:centerpoint",
      "tile.ntf:aircraft",
    ]);
    assert.equal(count(processed, "numRequests"), count(processed, "numFailures"));
    assert.ok(count(processed, "numRequests") >= 2);
    const failure = result.stats.failures().find((f) => f.method === "Process Image")!;
    assert.match(
      failure.error,
      /^Job Unsuccessful\nStatus: TIMEOUT \(no terminal status within --job-timeout 1 s\)\nRequest ID: [0-9a-f]{32}\nResponse: \{\n {2}"request": \{/,
    );
    assert.match(failure.error, /"processing_time": null\n\}$/);
    assert.equal(result.stats.exceptions().length, 0);
  });
});

Deno.test("random users pick InService endpoints and NITF/TIFF images and send the submit-and-wait request", async () => {
  await withSimulator({ modelRunner: { requestQueue: "NotTheRequestQueue" } }, async (sim, dir) => {
    const settings = userRun(sim, dir, {
      userClass: "RandomRequestUser",
      users: "3",
      runTime: "2.5s",
      jobTimeout: "0.4s",
      testResultsLocation: `s3://mr-bucket-sink-${sim.account}/out`,
    });
    const log: string[] = [];
    const result = await runLoadTest(settings, {
      handleSignals: false,
      write: () => {},
      log: new RunLog({ verbose: false, console: (line) => log.push(line) }),
    });
    const sent = queuedRequests(sim);
    assert.ok(sent.length >= 6, `expected several requests, got ${sent.length}`);
    const images = `s3://osml-test-images-${sim.account}/`;
    for (const body of sent) {
      const jobId = String(body.jobId);
      assert.match(jobId, /^[0-9a-f]{32}$/);
      const url = (body.imageUrls as string[])[0]!;
      assert.ok(url.startsWith(images), url);
      assert.match(url, /\.(ntf|nitf|tif|tiff)$/i, "no PNG or JPEG");
      const endpoint = (body.imageProcessor as { name: string }).name;
      assert.ok(
        ["centerpoint", "aircraft", "flood"].includes(endpoint),
        `${endpoint} is InService`,
      );
      assert.deepEqual(Object.keys(body), [
        "jobName",
        "jobId",
        "imageUrls",
        "outputs",
        "imageProcessor",
        "imageProcessorTileSize",
        "imageProcessorTileOverlap",
        "imageProcessorTileFormat",
        "imageProcessorTileCompression",
        "postProcessing",
        "regionOfInterest",
        "featureProperties",
      ]);
      assert.deepEqual(body, {
        jobName: `test-${jobId}`,
        jobId,
        imageUrls: [url],
        outputs: [{
          type: "S3",
          bucket: `mr-bucket-sink-${sim.account}`,
          prefix: `out/test-${jobId}/`,
        }],
        imageProcessor: { name: endpoint, type: "SM_ENDPOINT" },
        imageProcessorTileSize: 4096,
        imageProcessorTileOverlap: 50,
        imageProcessorTileFormat: "NITF",
        imageProcessorTileCompression: "NONE",
        postProcessing: [{
          step: "FEATURE_DISTILLATION",
          algorithm: { algorithmType: "NMS", iouThreshold: 0.75 },
        }],
        regionOfInterest: null,
        featureProperties: [],
      });
    }
    assert.ok(samples(result, "Process Image").length > 0);
    assert.ok(
      log.some((l) =>
        l.includes(`image(s) for random requests in s3://osml-test-images-${sim.account}`)
      ),
      "the default imagery location has the account filled in",
    );
  });
});

Deno.test("a PARTIAL result is resent with the same body up to 3 times, then fails", async () => {
  // A fast Model Runner: the retry's statuses come back within milliseconds, so this also
  // checks that a waiting user's re-registration is never overtaken by its own statuses.
  await withSimulator({
    modelRunner: { fixedMs: 30, msPerMegapixel: 0, jitter: 0, failureRate: 0, partialRate: 1 },
  }, async (sim, dir) => {
    const path = await requestFile(dir, "one.json", [entry("tile.tif", "aircraft")]);
    const settings = userRun(sim, dir, {
      userClass: "predefined",
      requestFile: path,
      runTime: "4s",
      jobTimeout: "20s",
    });
    const result = await runLoadTest(settings, {
      handleSignals: false,
      write: () => {},
      log: quiet(),
    });
    const processed = samples(result, "Process Image");
    const requests = count(processed, "numRequests");
    assert.ok(requests >= 1, "at least one Process Image finished");
    assert.equal(count(processed, "numFailures"), requests, "every one failed (PARTIAL)");
    const failure = result.stats.failures().find((f) => f.method === "Process Image")!;
    assert.match(failure.error, /^Job Unsuccessful\nStatus: PARTIAL\n/);
    const jobId = /Request ID: (\w+)/.exec(failure.error)![1]!;
    assert.ok(
      sim.modelRunner!.counters.final.PARTIAL >= 3 * requests,
      "three attempts reached Model Runner for each Process Image",
    );
    // The attempts of one request are one job (same jobId) in the tracker.
    const status = JSON.parse(await Deno.readTextFile(`${dir}/logs/job_status.json`));
    assert.equal(Object.keys(status).filter((k) => k.startsWith(`${jobId}:`)).length, 1);
    const completions = samples(result, "Job Complete").filter((e) =>
      e.name === "tile.tif:aircraft"
    );
    assert.ok(count(completions, "numRequests") >= 3 * requests);
  });
});

Deno.test("mixed predefined:3,random:1 users both run, succeed, and record their own samples", async () => {
  await withSimulator({
    modelRunner: { fixedMs: 20, msPerMegapixel: 0.02, failureRate: 0, partialRate: 0 },
  }, async (sim, dir) => {
    // tile.png is never picked by the random user (no PNG), so the names tell the kinds apart.
    const path = await requestFile(dir, "png.json", [entry("tile.png", "aircraft")]);
    const settings = userRun(sim, dir, {
      userClass: "predefined:3,random:1",
      requestFile: path,
      users: "4",
      runTime: "3s",
      jobTimeout: "20s",
    });
    const result = await runLoadTest(settings, {
      handleSignals: false,
      write: () => {},
      log: quiet(),
    });
    const processed = samples(result, "Process Image");
    const predefined = processed.filter((e) => e.name === "tile.png:aircraft");
    const random = processed.filter((e) => e.name !== "tile.png:aircraft");
    assert.ok(count(predefined, "numRequests") > 0, "predefined samples");
    assert.ok(count(random, "numRequests") > 0, "random samples");
    for (const e of random) assert.match(e.name, /\.(ntf|tif)+:(centerpoint|aircraft|flood)$/);
    // Only the simulator's deliberately truncated TIFF fails (Model Runner cannot read it).
    for (const failure of result.stats.failures()) {
      assert.match(failure.name, /^truncated\.tif:/, failure.error);
    }
    for (const e of processed) assert.equal(e.totalContentLength, 0, "length 0");
    assert.equal(result.stats.exceptions().length, 0);
  });
});

Deno.test("a failed send is an exception, not a Process Image sample", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const path = await requestFile(dir, "r.json", [entry("small.tif", "centerpoint")]);
    const settings = userRun(sim, dir, {
      userClass: "predefined",
      requestFile: path,
      runTime: "2s",
    });
    const result = await runLoadTest(settings, {
      handleSignals: false,
      write: () => {},
      log: quiet(),
      onStarted: () => sim.state.sqs.remove("ImageRequestQueue"),
    });
    assert.equal(samples(result, "Process Image").length, 0);
    const exceptions = result.stats.exceptions();
    assert.ok(exceptions.length > 0);
    assert.match(
      exceptions[0]!.message,
      /^Unable to send job request to SQS queue: ImageRequestQueue: /,
    );
    assert.ok(exceptions.reduce((n, e) => n + e.count, 0) <= 10, "a pause between failing tasks");
  });
});

/** The UsageError a dry run of `flags` stops with. */
async function startupError(sim: Simulator, dir: string, flags: RunFlags): Promise<string> {
  try {
    await runLoadTest(userRun(sim, dir, { dryRun: true, ...flags }), {
      handleSignals: false,
      write: () => {},
      log: quiet(),
    });
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    return error.message;
  }
  throw new Error("the run started, but a UsageError was expected");
}

Deno.test("no endpoints, no images, or no request file stop the run before it starts", async () => {
  await withSimulator({ modelRunner: false }, async (sim, dir) => {
    const images = `s3://osml-test-images-${sim.account}`;
    assert.match(
      await startupError(sim, dir, {
        userClass: "random",
        testImageryLocation: `${images}/nothing-here/`,
      }),
      /^no images found in s3:\/\/osml-test-images-\d+\/nothing-here\/ \(looked for \.ntf \.nitf \.tiff \.tif\): upload/,
    );
    assert.match(
      await startupError(sim, dir, {
        userClass: "random",
        testImageryLocation: "s3://no-such-bucket-x",
      }),
      /^could not list images in s3:\/\/no-such-bucket-x \(NoSuchBucket/,
    );
    assert.match(
      await startupError(sim, dir, { userClass: "predefined" }),
      /^--request-file is required for the predefined user/,
    );
    assert.match(
      await startupError(sim, dir, {
        userClass: "predefined",
        requestFile: join(dir, "missing.json"),
      }),
      /missing\.json does not exist/,
    );
    const bad = await requestFile(dir, "bad.json", [
      entry("a.tif", "m", { imageProcessorTileSize: 0 }),
    ]);
    assert.match(
      await startupError(sim, dir, { userClass: "predefined", requestFile: bad }),
      /entry 0: imageProcessorTileSize: must be greater than 0/,
    );
    for (const endpoint of sim.state.sagemaker.endpoints.values()) {
      if (endpoint.EndpointStatus === "InService") endpoint.EndpointStatus = "Updating";
    }
    assert.match(
      await startupError(sim, dir, { userClass: "random" }),
      /^no InService SageMaker endpoints in us-west-2 \(found .*centerpoint \(Updating\).*\): .*--include-all-endpoints/,
    );
    const dry = await runLoadTest(
      userRun(sim, dir, { dryRun: true, userClass: "random", includeAllEndpoints: true }),
      {
        handleSignals: false,
        write: () => {},
        log: quiet(),
      },
    );
    assert.equal(
      dry.prepared!.userInputs.endpoints.length,
      4,
      "--include-all-endpoints keeps them all",
    );
    sim.state.sagemaker.endpoints.clear();
    assert.match(
      await startupError(sim, dir, { userClass: "random" }),
      /^no SageMaker endpoints found in us-west-2: the random user needs at least one/,
    );
  });
});

Deno.test("endpoints are listed over every page", async () => {
  await withSimulator({ modelRunner: false }, async (sim) => {
    for (let i = 0; i < 23; i++) {
      sim.state.sagemaker.addEndpoint({
        name: `extra-${i}`,
        status: i % 2 ? "InService" : "Failed",
        instanceType: "ml.m5.xlarge",
        instanceCount: 1,
      });
    }
    const sagemaker = sageMakerClient({ region: sim.region, env: sim.env });
    try {
      const inService = await listEndpoints(sagemaker, { includeAll: false });
      assert.equal(inService.all.length, 27);
      assert.equal(inService.usable.length, 3 + 11);
      const all = await listEndpoints(sagemaker, { includeAll: true });
      assert.equal(all.usable.length, 27);
    } finally {
      sagemaker.destroy();
    }
  });
});
