/**
 * The rules OSML Model Runner applies to an image request
 * (docs/compatibility.md#request-rules), as one list of problems per request.
 * @module
 */

/**
 * One thing wrong with a request: the field (dotted path) and what is wrong with it.
 *
 * @example
 * ```ts
 * import type { RequestProblem } from "./image_request_rules.ts";
 * const p: RequestProblem = { field: "outputs[0].type", problem: '"s3" is not "S3" or "Kinesis"' };
 * ```
 */
export interface RequestProblem {
  field: string;
  problem: string;
}

/** The image processor types Model Runner accepts (`imageProcessor.type`). */
export const PROCESSOR_TYPES = ["NONE", "SM_ENDPOINT", "HTTP_ENDPOINT"] as const;

/** One of {@linkcode PROCESSOR_TYPES}. */
export type ProcessorType = typeof PROCESSOR_TYPES[number];
const TILE_FORMATS = ["NITF", "JPEG", "PNG", "GTIFF"];
const COMPRESSIONS = ["NONE", "JPEG", "J2K", "LZW"];
const WKT =
  /^\s*(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)\b/i;

/** Options of {@linkcode imageRequestProblems}. */
export interface RuleOptions {
  /**
   * A request-file template: `jobId` may be absent (the predefined user sets
   * it), and extra checks catch mistakes that Model Runner would only notice
   * later (an image URL that is not `s3://bucket/key`, an S3 sink bucket given
   * as a URL).
   */
  template: boolean;
}

/**
 * Check an image request against the rules Model Runner applies when it
 * parses one (docs/compatibility.md#request-rules). Returns every problem found
 * (empty = valid). The simulated Model Runner and the request-file check both
 * use these rules, so the two cannot drift.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { imageRequestProblems } from "./image_request_rules.ts";
 * assert.deepEqual(
 *   imageRequestProblems({ imageUrls: ["s3://b/a.tif"], imageProcessor: { name: "m" },
 *     imageProcessorTileSize: 512, imageProcessorTileOverlap: 512 }, { template: true }),
 *   [{ field: "imageProcessorTileOverlap", problem: "512 must be less than imageProcessorTileSize 512" }],
 * );
 * ```
 */
export function imageRequestProblems(entry: unknown, options: RuleOptions): RequestProblem[] {
  const problems: RequestProblem[] = [];
  const bad = (field: string, problem: string) => problems.push({ field, problem });
  if (!isRecord(entry)) {
    bad("(entry)", `must be a JSON object (an image request), not ${describeJson(entry)}`);
    return problems;
  }
  if (!options.template && (typeof entry.jobId !== "string" || entry.jobId === "")) {
    bad("jobId", "is missing or empty");
  } else if (entry.jobId !== undefined && typeof entry.jobId !== "string") {
    bad(
      "jobId",
      `must be a string if present (it is replaced anyway), not ${describeJson(entry.jobId)}`,
    );
  }
  if (entry.jobName !== undefined && typeof entry.jobName !== "string") {
    bad("jobName", `must be a string if present, not ${describeJson(entry.jobName)}`);
  }

  const urls = entry.imageUrls;
  if (urls === undefined) bad("imageUrls", 'is missing: give ["s3://bucket/key"]');
  else if (!Array.isArray(urls)) {
    bad("imageUrls", `must be a list of URLs, not ${describeJson(urls)}`);
  } else if (urls.length === 0) bad("imageUrls", 'is an empty list: give ["s3://bucket/key"]');
  else if (typeof urls[0] !== "string" || urls[0].trim() === "") {
    bad("imageUrls[0]", `must be a non-empty URL string, not ${describeJson(urls[0])}`);
  } else if (
    options.template && /^s3:\/\//i.test(urls[0]) && !/^s3:\/\/[^/]+\/[^/].*$/i.test(urls[0])
  ) {
    bad(
      "imageUrls[0]",
      `${
        JSON.stringify(urls[0])
      } is not s3://bucket/key (check --test-imagery-location and the path after the placeholder)`,
    );
  }

  const processor = entry.imageProcessor;
  if (processor === undefined) {
    bad("imageProcessor", 'is missing: give {"name": "<endpoint>", "type": "SM_ENDPOINT"}');
  } else if (!isRecord(processor)) {
    bad("imageProcessor", `must be an object with name and type, not ${describeJson(processor)}`);
  } else {
    if (typeof processor.name !== "string" || processor.name.trim() === "") {
      bad(
        "imageProcessor.name",
        "is missing or empty: give the SageMaker endpoint (or HTTP endpoint) name",
      );
    }
    if (
      processor.type !== undefined && processor.type !== null &&
      !(PROCESSOR_TYPES as readonly string[]).includes(String(processor.type))
    ) {
      bad(
        "imageProcessor.type",
        `${describeJson(processor.type)} is not one of ${PROCESSOR_TYPES.join(", ")}`,
      );
    }
    checkRole(processor.assumedRole, "imageProcessor.assumedRole", bad);
  }

  const tileSize = intLike(entry.imageProcessorTileSize);
  const overlap = intLike(entry.imageProcessorTileOverlap);
  if (entry.imageProcessorTileSize === undefined) {
    bad("imageProcessorTileSize", "is missing: give the tile size in pixels, e.g. 512");
  } else if (tileSize === undefined) {
    bad(
      "imageProcessorTileSize",
      `must be an integer, not ${describeJson(entry.imageProcessorTileSize)}`,
    );
  } else if (tileSize <= 0) {
    bad("imageProcessorTileSize", `must be greater than 0, not ${tileSize}`);
  }
  if (entry.imageProcessorTileOverlap === undefined) {
    bad("imageProcessorTileOverlap", "is missing: give the tile overlap in pixels, e.g. 128");
  } else if (overlap === undefined) {
    bad(
      "imageProcessorTileOverlap",
      `must be an integer, not ${describeJson(entry.imageProcessorTileOverlap)}`,
    );
  } else if (overlap < 0) {
    bad("imageProcessorTileOverlap", `must be 0 or more, not ${overlap}`);
  } else if (tileSize !== undefined && tileSize > 0 && overlap >= tileSize) {
    bad(
      "imageProcessorTileOverlap",
      `${overlap} must be less than imageProcessorTileSize ${tileSize}`,
    );
  }
  checkEnum(entry.imageProcessorTileFormat, "imageProcessorTileFormat", TILE_FORMATS, bad);
  checkEnum(
    entry.imageProcessorTileCompression,
    "imageProcessorTileCompression",
    COMPRESSIONS,
    bad,
  );

  const roi = entry.regionOfInterest;
  if (roi !== undefined && roi !== null && roi !== "") {
    if (typeof roi !== "string") {
      bad(
        "regionOfInterest",
        `must be a WKT string such as "POLYGON ((...))" or null, not ${describeJson(roi)}`,
      );
    } else if (!WKT.test(roi)) {
      bad(
        "regionOfInterest",
        `${
          JSON.stringify(truncate(roi))
        } is not WKT: give e.g. "POLYGON ((x y, ...))" (GeoJSON is not accepted)`,
      );
    }
  }
  checkRole(entry.imageReadRole, "imageReadRole", bad);

  if (entry.outputs !== undefined && entry.outputs !== null) {
    if (!Array.isArray(entry.outputs)) {
      bad("outputs", `must be a list of sinks, not ${describeJson(entry.outputs)}`);
    } else {
      entry.outputs.forEach((sink, i) => checkSink(sink, `outputs[${i}]`, bad, options));
    }
  }
  if (entry.featureProperties !== undefined && !Array.isArray(entry.featureProperties)) {
    bad("featureProperties", `must be a list, not ${describeJson(entry.featureProperties)}`);
  }
  const post = entry.postProcessing;
  if (post !== undefined && post !== null) {
    if (!Array.isArray(post)) {
      bad("postProcessing", `must be a list of steps, not ${describeJson(post)}`);
    } else {
      let distillations = 0;
      post.forEach((step, i) => {
        const field = `postProcessing[${i}]`;
        if (!isRecord(step)) {
          return bad(field, `must be an object with step and algorithm, not ${describeJson(step)}`);
        }
        if (step.step !== "FEATURE_DISTILLATION") {
          return bad(`${field}.step`, `${describeJson(step.step)} is not FEATURE_DISTILLATION`);
        }
        distillations++;
        const algorithm = step.algorithm;
        if (algorithm === undefined) return;
        if (!isRecord(algorithm)) {
          return bad(`${field}.algorithm`, `must be an object, not ${describeJson(algorithm)}`);
        }
        const type = algorithm.algorithmType ?? algorithm.algorithm_type;
        if (type !== undefined && typeof type !== "string") {
          bad(
            `${field}.algorithm.algorithmType`,
            `must be a string such as "NMS", not ${describeJson(type)}`,
          );
        }
        for (const key of ["iouThreshold", "skipBoxThreshold"]) {
          const v = algorithm[key];
          if (v !== undefined && typeof v !== "number") {
            bad(`${field}.algorithm.${key}`, `must be a number, not ${describeJson(v)}`);
          }
        }
      });
      if (distillations > 1) {
        bad("postProcessing", `has ${distillations} FEATURE_DISTILLATION steps: keep one`);
      }
    }
  }
  return problems;
}

function checkSink(
  sink: unknown,
  field: string,
  bad: (f: string, p: string) => void,
  options: RuleOptions,
): void {
  if (!isRecord(sink)) return bad(field, `must be a sink object, not ${describeJson(sink)}`);
  if (sink.type === "S3") {
    if (typeof sink.bucket !== "string" || sink.bucket === "") {
      bad(`${field}.bucket`, "is missing or empty: an S3 sink needs a bucket name (no s3://)");
    } else if (options.template && (/^s3:\/\//i.test(sink.bucket) || sink.bucket.includes("/"))) {
      bad(
        `${field}.bucket`,
        `${JSON.stringify(sink.bucket)} must be a bucket name only (use {{test_results_bucket}})`,
      );
    }
    if (typeof sink.prefix !== "string") {
      bad(`${field}.prefix`, 'is missing: an S3 sink needs a prefix (may be "")');
    }
    checkRole(sink.role, `${field}.role`, bad);
  } else if (sink.type === "Kinesis") {
    if (typeof sink.stream !== "string" || sink.stream === "") {
      bad(`${field}.stream`, "is missing or empty: a Kinesis sink needs a stream name");
    }
    if (sink.batchSize !== undefined && intLike(sink.batchSize) === undefined) {
      bad(`${field}.batchSize`, `must be an integer, not ${describeJson(sink.batchSize)}`);
    }
    checkRole(sink.assumedRole, `${field}.assumedRole`, bad);
  } else {
    bad(`${field}.type`, `${describeJson(sink.type)} is not "S3" or "Kinesis" (case-sensitive)`);
  }
}

function checkEnum(
  value: unknown,
  field: string,
  allowed: string[],
  bad: (f: string, p: string) => void,
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string" || !allowed.includes(value)) {
    bad(field, `${describeJson(value)} is not one of ${allowed.join(", ")}`);
  }
}

function checkRole(value: unknown, field: string, bad: (f: string, p: string) => void): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string" || !value.startsWith("arn:")) {
    bad(field, `${describeJson(value)} is not an IAM role ARN (must start with arn:)`);
  }
}

/** Python `int()` of a JSON value: integers, floats (truncated) and integer strings. */
export function intLike(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

/** True for a JSON object (not null, not a list). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A short description of a JSON value for messages, e.g. `the number 5`, `a list`. */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(truncate(value))}`;
  return `${typeof value === "number" ? "the number" : "the boolean"} ${String(value)}`;
}
