/**
 * The predefined user's request file (docs/compatibility.md#predefined-user,
 * docs/compatibility.md#request-rules): a JSON
 * array of image requests with `{{placeholder}}` substitutions, loaded, rendered
 * and checked once before the run starts, so that a bad file stops the run with
 * a clear message instead of sending requests Model Runner would drop into its
 * dead-letter queue without a status.
 *
 * Deviations from upstream (which rendered the file with Jinja2): an unknown
 * placeholder is an error instead of an empty string; substituted values are
 * JSON-escaped; trailing `/` of the imagery location is removed so that
 * `{{test_imagery_location}}/small.tif` never has `//`; every entry is
 * validated against the rules Model Runner applies.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseRequestFile, placeholderValues } from "./request_file.ts";
 * const values = placeholderValues("s3://images", "s3://results/out");
 * const requests = parseRequestFile(
 *   `[{"imageUrls": ["{{test_imagery_location}}/small.tif"],
 *     "imageProcessor": {"name": "centerpoint"},
 *     "outputs": [{"type": "S3", "bucket": "{{test_results_bucket}}", "prefix": "{{test_results_prefix}}"}],
 *     "imageProcessorTileSize": 512, "imageProcessorTileOverlap": 128}]`,
 *   values,
 *   "requests.json",
 * );
 * assert.equal(requests[0]!.imageUrls[0], "s3://images/small.tif");
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import {
  describeJson,
  imageRequestProblems,
  type RequestProblem,
} from "../requests/image_request_rules.ts";
export type { RequestProblem } from "../requests/image_request_rules.ts";
import type { ImageRequestBody } from "../requests/image_request.ts";

/**
 * The placeholders a request file may use, as upstream's template variables.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { REQUEST_FILE_PLACEHOLDERS } from "./request_file.ts";
 * assert.equal(REQUEST_FILE_PLACEHOLDERS.includes("test_results_bucket"), true);
 * ```
 */
export const REQUEST_FILE_PLACEHOLDERS: readonly string[] = Object.freeze([
  "test_imagery_location",
  "test_results_location",
  "test_results_bucket",
  "test_results_prefix",
]);

/**
 * The values of the four placeholders: the imagery location (trailing `/`
 * removed), the results location unchanged, its bucket (the URL's host, or the
 * first segment without a scheme) and its prefix (the path without its leading
 * `/`, no trailing `/` added), as upstream computes them.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { placeholderValues } from "./request_file.ts";
 * assert.equal(placeholderValues("s3://images/", "s3://results/run-1").test_results_prefix, "run-1");
 * ```
 */
export function placeholderValues(
  testImageryLocation: string,
  testResultsLocation: string,
): Record<string, string> {
  const rest = testResultsLocation.replace(/^s3:\/\//i, "");
  const slash = rest.indexOf("/");
  return {
    test_imagery_location: testImageryLocation.replace(/\/+$/, ""),
    test_results_location: testResultsLocation,
    test_results_bucket: slash < 0 ? rest : rest.slice(0, slash),
    test_results_prefix: slash < 0 ? "" : rest.slice(slash + 1).replace(/^\/+/, ""),
  };
}

/**
 * Replace every `{{ name }}` in `text` by its JSON-escaped value. A name
 * outside `values` (or any other `{{ ... }}` expression) is a UsageError naming
 * the line and the placeholders that exist.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { renderRequestTemplate } from "./request_file.ts";
 * assert.equal(renderRequestTemplate('["{{ a }}"]', { a: "x" }, "f.json"), '["x"]');
 * ```
 */
export function renderRequestTemplate(
  text: string,
  values: Record<string, string>,
  path: string,
): string {
  return text.replace(/\{\{(.*?)\}\}/gs, (whole, inner: string, offset: number) => {
    const name = inner.trim();
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) {
      const { line } = lineAndColumn(text, offset);
      throw new UsageError(
        `request file ${path}, line ${line}: unknown placeholder ${whole}: use only ${
          Object.keys(values).map((k) => `{{${k}}}`).join(", ")
        }`,
      );
    }
    return JSON.stringify(value).slice(1, -1);
  });
}

/**
 * Parse rendered request-file text: it must be JSON, a non-empty array, and
 * every entry a valid image request (see {@linkcode validateRequestTemplate}).
 * Each case is its own UsageError. Entries without a `jobId` get `""` (the
 * predefined user sets a fresh one on every submission).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseRequestFile } from "./request_file.ts";
 * assert.throws(() => parseRequestFile("[]", {}, "empty.json"), {
 *   name: "UsageError",
 *   message: "request file empty.json is an empty array: add at least one image request " +
 *     "(see examples/sample-requests.json)",
 * });
 * ```
 */
export function parseRequestFile(
  text: string,
  values: Record<string, string>,
  path: string,
): ImageRequestBody[] {
  const rendered = renderRequestTemplate(text, values, path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(rendered);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(rendered);
    const where = offset === undefined ? "" : (() => {
      const { line, column } = lineAndColumn(rendered, offset);
      return ` at line ${line}, column ${column}`;
    })();
    throw new UsageError(
      `request file ${path} is not valid JSON${where} (${message}): fix the syntax; it must be a JSON array of image requests`,
    );
  }
  if (!Array.isArray(parsed)) {
    throw new UsageError(
      `request file ${path} must be a JSON array of image requests, but it is ${
        describeJson(parsed)
      }: wrap the request(s) in [ ... ]`,
    );
  }
  if (parsed.length === 0) {
    throw new UsageError(
      `request file ${path} is an empty array: add at least one image request (see examples/sample-requests.json)`,
    );
  }
  const problems: string[] = [];
  parsed.forEach((entry, index) => {
    for (const p of validateRequestTemplate(entry)) {
      problems.push(`entry ${index}: ${p.field}: ${p.problem}`);
    }
  });
  if (problems.length) {
    const shown = problems.slice(0, 10);
    if (problems.length > shown.length) shown.push(`... and ${problems.length - 10} more`);
    throw new UsageError(
      `request file ${path} has ${problems.length} invalid field(s) that Model Runner would reject (entries count from 0):\n  ${
        shown.join("\n  ")
      }\nfix these entries and run again`,
    );
  }
  return (parsed as Array<Record<string, unknown>>).map((entry) => ({
    ...entry,
    jobId: typeof entry.jobId === "string" ? entry.jobId : "",
    imageUrls: entry.imageUrls as string[],
  }));
}

/**
 * Read, render and check a request file. A missing file, a folder, an
 * unreadable file, bad JSON, a non-array, an empty array, an unknown
 * placeholder and an invalid entry each raise their own UsageError.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { fileURLToPath } from "node:url";
 * import { loadRequestFile, placeholderValues } from "./request_file.ts";
 * const path = fileURLToPath(new URL("../../examples/sample-requests.json", import.meta.url));
 * const requests = await loadRequestFile(path,
 *   placeholderValues("s3://osml-test-images-123456789012", "s3://mr-bucket-sink-123456789012"));
 * assert.equal(requests.length, 11);
 * assert.deepEqual(requests[0]?.imageUrls, ["s3://osml-test-images-123456789012/small.tif"]);
 * ```
 */
export async function loadRequestFile(
  path: string,
  values: Record<string, string>,
): Promise<ImageRequestBody[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(
        `request file ${path} does not exist (looked in ${Deno.cwd()}): pass --request-file with the path of a JSON array of image requests, e.g. examples/sample-requests.json`,
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new UsageError(
        `request file ${path} is a folder: pass --request-file with the path of a JSON file`,
      );
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(
        `request file ${path} cannot be read (permission denied): make it readable or copy it elsewhere`,
      );
    }
    if (error instanceof Deno.errors.InvalidData) {
      throw new UsageError(`request file ${path} is not UTF-8 text: save it as UTF-8 JSON`);
    }
    throw new UsageError(
      `request file ${path} cannot be read (${
        error instanceof Error ? error.message : String(error)
      }): check the path`,
    );
  }
  return parseRequestFile(text.replace(/^\uFEFF/, ""), values, path);
}

/**
 * Check one request-file entry against the rules Model Runner applies when it
 * parses an image request (docs/compatibility.md#request-rules). `jobId` and `jobName` may be absent (the
 * predefined user sets them). Returns every problem found (empty = valid).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { validateRequestTemplate } from "./request_file.ts";
 * assert.deepEqual(
 *   validateRequestTemplate({ imageUrls: ["s3://b/a.tif"], imageProcessor: { name: "m" },
 *     imageProcessorTileSize: 512, imageProcessorTileOverlap: 512 }).map((p) => p.field),
 *   ["imageProcessorTileOverlap"],
 * );
 * ```
 */
export function validateRequestTemplate(entry: unknown): RequestProblem[] {
  return imageRequestProblems(entry, { template: true });
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/**
 * The offset where `text` stops being valid JSON (a small recursive-descent
 * scan, since V8's messages do not always give a position), or undefined.
 */
function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m || m[0] === "") fail();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === "number" ? at : undefined;
  }
}
