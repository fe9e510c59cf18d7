import assert from "node:assert/strict";
import { parseDuration } from "../mod/config/duration.ts";
import { parseS3Location } from "../mod/aws/s3_location.ts";
import { deriveStatusQueueName, queueNameFromUrl } from "../mod/discovery/queue_names.ts";
import { accountFromArn } from "../mod/discovery/task_definition.ts";
import {
  buildLoadTestRequest,
  buildModelRunnerRequest,
  entryName,
  imageIdOf,
  newJobId,
} from "../mod/requests/image_request.ts";
import { kindOfUser, parseUserMix } from "../mod/config/user_mix.ts";
import { resolveRunSettings } from "../mod/config/run_settings.ts";
import { UsageError } from "../mod/usage_error.ts";

Deno.test("run-time durations parse in Locust's forms", () => {
  assert.equal(parseDuration("90s", "--run-time"), 90);
  assert.equal(parseDuration("10m", "--run-time"), 600);
  assert.equal(parseDuration("1h30m", "--run-time"), 5400);
  assert.equal(parseDuration("1h2m3s", "--run-time"), 3723);
  assert.equal(parseDuration("45", "--run-time"), 45);
  assert.throws(() => parseDuration("ten minutes", "--run-time"), /--run-time .* 90s, 10m, 1h30m/);
  assert.throws(() => parseDuration("", "--run-time"), UsageError);
});

Deno.test("S3 locations accept s3:// URLs, bare names, prefixes and HTTPS forms", () => {
  assert.deepEqual(parseS3Location("s3://images", "--x"), { bucket: "images", prefix: "" });
  assert.deepEqual(parseS3Location("s3://images/set/a/", "--x"), {
    bucket: "images",
    prefix: "set/a/",
  });
  assert.deepEqual(parseS3Location("images/", "--x"), { bucket: "images", prefix: "" });
  assert.deepEqual(
    parseS3Location("https://images.s3.us-west-2.amazonaws.com/p/k", "--x"),
    { bucket: "images", prefix: "p/k" },
  );
  assert.throws(() => parseS3Location("s3://Bad_Bucket", "--source-bucket"), /--source-bucket/);
});

Deno.test("queue names follow upstream's URL and derivation rules (docs/compatibility.md#queue-names)", () => {
  assert.equal(
    queueNameFromUrl("https://sqs.us-west-2.amazonaws.com/123456789012/ImageRequestQueue"),
    "ImageRequestQueue",
  );
  assert.equal(queueNameFromUrl("ImageRequestQueue"), "ImageRequestQueue");
  assert.equal(deriveStatusQueueName("ImageRequestQueue"), "ImageStatusQueue");
  assert.equal(deriveStatusQueueName("MyJobsQueue"), "MyJobsStatusQueue");
  assert.equal(deriveStatusQueueName("jobs"), "jobsStatus");
  assert.equal(
    accountFromArn("arn:aws:ecs:us-west-2:123456789012:task-definition/x-ModelRunnerDataplane:3"),
    "123456789012",
  );
});

Deno.test("the default user's request is upstream's, key for key (fidelity 13-21)", () => {
  const jobId = newJobId();
  assert.match(jobId, /^[0-9a-f]{32}$/);
  assert.notEqual(newJobId(), jobId);
  const body = buildLoadTestRequest({
    jobId,
    imageUrl: "s3://images/small.tif",
    resultBucket: "results",
    modelName: "centerpoint",
    kinesisStream: "mr-stream-sink-123456789012",
  });
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
  ]);
  assert.equal(body.jobName, `load-test-${jobId}`);
  assert.deepEqual(body.imageUrls, ["s3://images/small.tif"]);
  assert.deepEqual(body.outputs, [
    { type: "S3", bucket: "results", prefix: `load-test-${jobId}/` },
    { type: "Kinesis", stream: "mr-stream-sink-123456789012", batchSize: 1000 },
  ]);
  assert.deepEqual(body.imageProcessor, { name: "centerpoint", type: "SM_ENDPOINT" });
  assert.equal(body.imageProcessorTileSize, 512);
  assert.equal(body.imageProcessorTileOverlap, 128);
  assert.equal(body.imageProcessorTileFormat, "GTIFF");
  assert.equal(body.imageProcessorTileCompression, "NONE");
  assert.deepEqual(body.postProcessing, [
    { step: "FEATURE_DISTILLATION", algorithm: { algorithmType: "NMS", iouThreshold: 0.75 } },
  ]);
  assert.equal(imageIdOf(body), `${jobId}:s3://images/small.tif`);
  assert.equal(entryName("s3://images/a/b/small.tif", "centerpoint"), "small.tif:centerpoint");
});

Deno.test("the submit-and-wait request follows docs/compatibility.md#request-submit-and-wait", () => {
  const body = buildModelRunnerRequest({
    jobId: "ab",
    imageUrl: "s3://i/x.ntf",
    resultsLocation: "s3://b/out",
    endpoint: "flood",
  });
  assert.equal(body.jobName, "test-ab");
  assert.deepEqual(body.outputs, [{ type: "S3", bucket: "b", prefix: "out/test-ab/" }]);
  assert.equal(body.imageProcessorTileSize, 4096);
  assert.equal(body.imageProcessorTileOverlap, 50);
  assert.equal(body.imageProcessorTileFormat, "NITF");
  assert.equal(body.regionOfInterest, null);
  assert.deepEqual(body.featureProperties, []);
  const bare = buildModelRunnerRequest({
    jobId: "cd",
    imageUrl: "s3://i/x.ntf",
    resultsLocation: "s3://b",
    endpoint: "flood",
  });
  assert.deepEqual(bare.outputs, [{ type: "S3", bucket: "b", prefix: "test-cd/" }]);
});

Deno.test("weighted user classes spread users by weight", () => {
  const mix = parseUserMix("a:3,b:1", (n) => n);
  const kinds = Array.from({ length: 8 }, (_, i) => kindOfUser(mix, i));
  assert.equal(kinds.filter((k) => k === "a").length, 6);
  assert.equal(kinds.filter((k) => k === "b").length, 2);
  assert.throws(() => parseUserMix("a:0", (n) => n), /weight/);
});

Deno.test("run settings: env fallbacks, defaults, and one-line errors", () => {
  const s = resolveRunSettings({}, {
    S3_SOURCE_IMAGE_BUCKET: "s3://src",
    S3_LOAD_TEST_RESULT_BUCKET: "s3://res/",
    SM_LOAD_TEST_MODEL: "flood",
    PROCESSING_WINDOW_MIN: "0.5",
  });
  assert.equal(s.sourceBucket?.bucket, "src");
  assert.equal(s.resultBucket?.bucket, "res");
  assert.equal(s.modelName, "flood");
  assert.equal(s.windowS, 30);
  assert.equal(s.statsIntervalS, 30);
  assert.equal(s.logDir, "logs");
  assert.equal(s.webHost, "127.0.0.1");
  assert.equal(s.webPort, 8089);
  assert.equal(s.taskDefinitionPattern, "ModelRunnerDataplane");
  const withOutput = resolveRunSettings(
    { sourceBucket: "src", resultBucket: "res", output: "out/run.json", runTime: "1h30m" },
    {},
  );
  assert.equal(withOutput.csvPrefix, "out/run");
  assert.equal(withOutput.windowS, 5400);
  assert.throws(
    () => resolveRunSettings({ resultBucket: "res" }, {}),
    /--source-bucket is required/,
  );
  assert.throws(
    () => resolveRunSettings({ sourceBucket: "src" }, {}),
    /--result-bucket is required/,
  );
  assert.throws(
    () => resolveRunSettings({ sourceBucket: "src", resultBucket: "res", users: "-1" }, {}),
    /--users must be an integer/,
  );
  assert.throws(
    () => resolveRunSettings({ sourceBucket: "src", resultBucket: "res", userClass: "nope" }, {}),
    /unknown user class "nope"/,
  );
  assert.equal(
    resolveRunSettings({
      sourceBucket: "src",
      resultBucket: "res",
      userClass: "test.load.locust_user.ModelRunnerLoadTestUser",
    }, {}).userMix[0]?.kind,
    "load-test",
  );
});
