import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError } from "../mod/usage_error.ts";
import {
  loadRequestFile,
  parseRequestFile,
  placeholderValues,
  renderRequestTemplate,
  validateRequestTemplate,
} from "../mod/users/request_file.ts";
import { requestFromTemplate } from "../mod/users/predefined_user.ts";
import { jobUnsuccessfulMessage } from "../mod/users/model_runner_user.ts";
import { isRandomImageKey } from "../mod/users/random_user.ts";
import { resolveUserKindName } from "../mod/users/registry.ts";
import { kindOfUser, parseUserMix } from "../mod/config/user_mix.ts";
import { userLocations } from "../mod/users/user_inputs.ts";
import { resolveRunSettings } from "../mod/config/run_settings.ts";
import { SAMPLE_IMAGES } from "../mod/images/samples.ts";
import { validateImageRequest } from "../mod/sim/model_runner/image_request_validation.ts";

const VALUES = placeholderValues("s3://images/set/", "s3://results/out");

const GOOD = {
  imageUrls: ["{{test_imagery_location}}/small.tif"],
  imageProcessor: { name: "centerpoint", type: "SM_ENDPOINT" },
  outputs: [{ type: "S3", bucket: "{{test_results_bucket}}", prefix: "{{test_results_prefix}}" }],
  imageProcessorTileSize: 512,
  imageProcessorTileOverlap: 128,
};

/** The UsageError message `fn` throws (fails when it throws nothing or something else). */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    return error.message;
  }
  throw new Error("expected a UsageError, but nothing was thrown");
}

async function usageMessageAsync(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    return error.message;
  }
  throw new Error("expected a UsageError, but nothing was thrown");
}

Deno.test("placeholders take upstream's values: location as given, bucket, prefix without slashes added", () => {
  assert.deepEqual(VALUES, {
    test_imagery_location: "s3://images/set",
    test_results_location: "s3://results/out",
    test_results_bucket: "results",
    test_results_prefix: "out",
  });
  assert.equal(placeholderValues("s3://i", "s3://r").test_results_prefix, "");
  assert.equal(
    renderRequestTemplate('["{{ test_results_bucket }}", "{{test_results_prefix}}"]', VALUES, "f"),
    '["results", "out"]',
  );
});

Deno.test("the request file renders, parses and keeps every entry as written", () => {
  const requests = parseRequestFile(JSON.stringify([GOOD, { ...GOOD, jobName: "n" }]), VALUES, "f");
  assert.equal(requests.length, 2);
  assert.deepEqual(requests[0], {
    ...GOOD,
    imageUrls: ["s3://images/set/small.tif"],
    outputs: [{ type: "S3", bucket: "results", prefix: "out" }],
    jobId: "",
  });
  assert.equal(requests[1]!.jobName, "n");
});

Deno.test("an unknown placeholder is its own error, with the line and the known names", () => {
  const message = usageMessage(() =>
    parseRequestFile('[\n{"imageUrls": ["{{ test_imagery }}/a.tif"]}]', VALUES, "req.json")
  );
  assert.match(
    message,
    /^request file req\.json, line 2: unknown placeholder \{\{ test_imagery \}\}/,
  );
  assert.match(message, /use only \{\{test_imagery_location\}\}, \{\{test_results_location\}\}/);
});

Deno.test("bad JSON, a non-array, and an empty array each get their own message", () => {
  const bad = usageMessage(() => parseRequestFile('[\n  {"imageUrls": [}\n]', VALUES, "b.json"));
  assert.match(bad, /^request file b\.json is not valid JSON at line 2, column \d+ \(/);
  assert.match(bad, /must be a JSON array of image requests$/);
  const object = usageMessage(() => parseRequestFile(JSON.stringify(GOOD), VALUES, "o.json"));
  assert.match(
    object,
    /^request file o\.json must be a JSON array of image requests, but it is an object: wrap/,
  );
  const empty = usageMessage(() => parseRequestFile("[]", VALUES, "e.json"));
  assert.match(empty, /^request file e\.json is an empty array: add at least one image request/);
});

Deno.test("an invalid entry names its index, the field, and what is wrong", () => {
  const entries = [
    GOOD,
    { ...GOOD, imageProcessorTileOverlap: 512 },
    { ...GOOD, imageProcessor: undefined },
    "not a request",
  ];
  const message = usageMessage(() => parseRequestFile(JSON.stringify(entries), VALUES, "i.json"));
  assert.match(message, /^request file i\.json has 3 invalid field\(s\)/);
  assert.match(
    message,
    /entry 1: imageProcessorTileOverlap: 512 must be less than imageProcessorTileSize 512/,
  );
  assert.match(message, /entry 2: imageProcessor: is missing/);
  assert.match(message, /entry 3: \(entry\): must be a JSON object/);
  assert.doesNotMatch(message, /entry 0/);
});

Deno.test("entry validation follows Model Runner's rules field by field", () => {
  const fields = (entry: Record<string, unknown>) =>
    validateRequestTemplate(entry).map((p) => p.field);
  const base = {
    imageUrls: ["s3://b/a.tif"],
    imageProcessor: { name: "m" },
    imageProcessorTileSize: "512",
    imageProcessorTileOverlap: 0,
  };
  assert.deepEqual(fields(base), [], "numeric strings and a default type are accepted");
  assert.deepEqual(fields({ ...base, imageUrls: [] }), ["imageUrls"]);
  assert.deepEqual(fields({ ...base, imageUrls: ["s3://bucket-only"] }), ["imageUrls[0]"]);
  assert.deepEqual(fields({ ...base, imageProcessor: { name: "" } }), ["imageProcessor.name"]);
  assert.deepEqual(fields({ ...base, imageProcessor: { name: "m", type: "sm_endpoint" } }), [
    "imageProcessor.type",
  ]);
  assert.deepEqual(fields({ ...base, imageProcessor: { name: "m", assumedRole: "role" } }), [
    "imageProcessor.assumedRole",
  ]);
  assert.deepEqual(fields({ ...base, imageProcessorTileSize: undefined }), [
    "imageProcessorTileSize",
  ]);
  assert.deepEqual(fields({ ...base, imageProcessorTileSize: "big" }), ["imageProcessorTileSize"]);
  assert.deepEqual(fields({ ...base, imageProcessorTileOverlap: -1 }), [
    "imageProcessorTileOverlap",
  ]);
  assert.deepEqual(fields({ ...base, imageProcessorTileFormat: "TIFF" }), [
    "imageProcessorTileFormat",
  ]);
  assert.deepEqual(fields({ ...base, imageProcessorTileCompression: "ZIP" }), [
    "imageProcessorTileCompression",
  ]);
  assert.deepEqual(fields({ ...base, regionOfInterest: { type: "Polygon" } }), [
    "regionOfInterest",
  ]);
  assert.deepEqual(fields({ ...base, regionOfInterest: "POLYGON ((0 0, 1 0, 1 1, 0 0))" }), []);
  assert.deepEqual(fields({ ...base, regionOfInterest: null }), []);
  assert.deepEqual(fields({ ...base, imageReadRole: "my-role" }), ["imageReadRole"]);
  assert.deepEqual(fields({ ...base, outputs: [{ type: "s3", bucket: "b", prefix: "" }] }), [
    "outputs[0].type",
  ]);
  assert.deepEqual(fields({ ...base, outputs: [{ type: "S3", bucket: "s3://b" }] }), [
    "outputs[0].bucket",
    "outputs[0].prefix",
  ]);
  assert.deepEqual(fields({ ...base, outputs: [{ type: "Kinesis" }] }), ["outputs[0].stream"]);
  const nms = { step: "FEATURE_DISTILLATION", algorithm: { algorithmType: "NMS" } };
  assert.deepEqual(fields({ ...base, postProcessing: [nms, nms] }), ["postProcessing"]);
  assert.deepEqual(fields({ ...base, jobId: 7 }), ["jobId"]);
});

Deno.test("missing files and folders get their own message; the shipped example loads", async () => {
  const dir = await Deno.makeTempDir({ prefix: "osml-load-users-" });
  try {
    const missing = await usageMessageAsync(() => loadRequestFile(join(dir, "nope.json"), VALUES));
    assert.match(missing, /nope\.json does not exist .*: pass --request-file/);
    const folder = await usageMessageAsync(() => loadRequestFile(dir, VALUES));
    assert.match(folder, /is a folder: pass --request-file with the path of a JSON file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const values = placeholderValues(
    "s3://osml-test-images-123456789012",
    "s3://mr-bucket-sink-123456789012",
  );
  const example = await loadRequestFile(
    new URL("../examples/sample-requests.json", import.meta.url).pathname,
    values,
  );
  assert.equal(example.length, 11);
  const keys = new Set(SAMPLE_IMAGES.map((s) => s.key));
  for (const request of example) {
    const url = request.imageUrls[0]!;
    const key = url.slice("s3://osml-test-images-123456789012/".length);
    assert.ok(keys.has(key), `${url} is one of the simulator's sample images`);
    const ready = requestFromTemplate(request, "0123456789abcdef0123456789abcdef");
    assert.ok(validateImageRequest(ready).ok, `the simulator accepts ${url}`);
  }
});

Deno.test("each submission gets a fresh jobId and upstream's jobName", () => {
  const template = { jobId: "", imageUrls: ["s3://b/a.tif"], outputs: [{ prefix: "p" }] };
  const a = requestFromTemplate(template, "aa");
  assert.equal(a.jobId, "aa");
  assert.equal(a.jobName, "test-aa");
  assert.notEqual(a.outputs, template.outputs, "a deep copy");
  assert.equal(
    requestFromTemplate({ ...template, jobName: "nightly" }, "bb").jobName,
    "nightly-bb",
  );
  assert.equal(template.jobId, "", "the template is unchanged");
});

Deno.test("the failure text is upstream's Job Unsuccessful message", () => {
  const request = { jobId: "j1", imageUrls: ["s3://b/a.tif"] };
  assert.equal(
    jobUnsuccessfulMessage("PARTIAL", request, 4),
    'Job Unsuccessful\nStatus: PARTIAL\nRequest ID: j1\nResponse: {\n  "request": {\n    "jobId": "j1",\n    "imageUrls": [\n      "s3://b/a.tif"\n    ]\n  },\n  "processing_time": 4\n}',
  );
});

Deno.test("user classes: short names, class names and dotted names; weights spread users", () => {
  assert.equal(
    resolveUserKindName("test.load.predefined_requests_user.PredefinedRequestsUser"),
    "predefined",
  );
  assert.equal(resolveUserKindName("PredefinedRequestsUser"), "predefined");
  assert.equal(resolveUserKindName("test.load.random_requests_user.RandomRequestUser"), "random");
  assert.equal(resolveUserKindName("RandomRequestUser"), "random");
  assert.throws(() => resolveUserKindName("ModelRunnerUser"), UsageError);
  const mix = parseUserMix("predefined:3,random:1", resolveUserKindName);
  const kinds = [0, 1, 2, 3].map((i) => kindOfUser(mix, i));
  assert.equal(kinds.filter((k) => k === "predefined").length, 3);
  assert.equal(kinds.filter((k) => k === "random").length, 1);
  // The wait-for-completion kinds need no --source-bucket / --result-bucket.
  const settings = resolveRunSettings({ userClass: "predefined:3,random:1" }, {});
  assert.equal(settings.sourceBucket, undefined);
  assert.throws(() => resolveRunSettings({ userClass: "random,load-test" }, {}), /--source-bucket/);
});

Deno.test("default locations get the account; the random user keeps NITF and TIFF only", () => {
  assert.deepEqual(
    userLocations(
      { testImageryLocation: undefined, testResultsLocation: undefined },
      "111122223333",
    ),
    {
      testImageryLocation: "s3://osml-test-images-111122223333",
      testResultsLocation: "s3://mr-bucket-sink-111122223333",
    },
  );
  assert.equal(
    userLocations({ testImageryLocation: "s3://x-<account>/p", testResultsLocation: "s3://r" }, "1")
      .testImageryLocation,
    "s3://x-1/p",
  );
  assert.deepEqual(
    ["a.ntf", "a.NITF", "a.tif", "a.TIFF", "a.png", "a.jpg", "a.jpeg", "notes.txt"].map(
      isRandomImageKey,
    ),
    [true, true, true, true, false, false, false, false],
  );
});
