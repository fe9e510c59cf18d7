/**
 * `--results-to s3://bucket/prefix/`: a generator's outputs uploaded to
 * `s3://bucket/prefix/<run-id>/gen-<index>/` (`<run-id>/standalone/` for a
 * run without `OSML_LOAD_GENERATOR_INDEX`), where `osml-load merge` and a
 * distributed run (`run --generators N`) read them.
 *
 * - **start** (before the first user starts): HeadBucket on the bucket; a
 *   missing or forbidden bucket stops the run before any load.
 * - **while the run goes**: every `intervalMs` (the run's `--stats-interval`)
 *   `job_summary.json` and `osml-load-stats.json` are uploaded in the
 *   background, so a generator that is killed leaves what it had (the merge
 *   then reports it as not finished).
 * - **finish** (also after Ctrl-C, SIGTERM and a failed run): every output
 *   file that exists — the log folder's files at their path inside it, the
 *   other outputs (CSV, HTML, JSON, JUnit) by file name — and
 *   `osml-load-stats.json` last, so that its final version means the rest is
 *   there. Bounded: each call by `--aws-timeout`, the whole upload by
 *   `finishLimitMs`; a file that cannot be uploaded fails the output (the run
 *   reports a tool failure, exit 4).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resultsKeyPrefix } from "./results_upload.ts";
 * assert.equal(
 *   resultsKeyPrefix({ bucket: "b", prefix: "load" }, { index: 2, host: null, run_id: "run-7" }),
 *   "load/run-7/gen-2/",
 * );
 * ```
 * @module
 */
import { basename, isAbsolute, relative, resolve, sep } from "node:path";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { awsErrorCode } from "../aws/aws_errors.ts";
import type { S3Location } from "../aws/s3_location.ts";
import type { AwsEnv } from "../aws/aws_settings.ts";
import { type GeneratorIdentity, MERGEABLE_STATS_FILE } from "../stats/mergeable_stats.ts";
import { checkBucket } from "../discovery/bucket_check.ts";
import type { Output, OutputContext } from "./output.ts";

/** Options of {@linkcode createResultsUploadOutput}. */
export interface ResultsUploadOptions {
  /** Where (`--results-to`): the run's folder goes below it. */
  destination: S3Location;
  /** Who uploads: its run id and index name the folder. */
  generator: GeneratorIdentity;
  /** The run's `--log-dir`: its files keep their path inside it. */
  logDir: string;
  /** Every output file of the run; those that exist at the end are uploaded. */
  files: readonly string[];
  /** Upload progress (`job_summary.json`, `osml-load-stats.json`) this often, ms; 0: never. */
  intervalMs?: number;
  /** Region of the bucket (default: the run's, from its configuration, else the environment's). */
  region?: string;
  /** Timeout of one AWS call, ms (default 15 000). */
  awsTimeoutMs?: number;
  /** Longest the final upload may take, ms (default 60 000). */
  finishLimitMs?: number;
  /** Where the closing "Uploaded …" line goes (default: nowhere). */
  write?: (line: string) => void;
  /** The client to use (tests); default one is made for the region. */
  client?: S3Client;
  /** The environment the default client reads (region, endpoint, credentials); default the process's. */
  env?: AwsEnv;
}

/**
 * The key prefix of one generator's files: `<prefix>/<run-id>/gen-<index>/`
 * (`standalone` for a run without an index).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resultsKeyPrefix } from "./results_upload.ts";
 * assert.equal(resultsKeyPrefix({ bucket: "b", prefix: "" }, { index: null, host: "h", run_id: "r" }), "r/standalone/");
 * ```
 */
export function resultsKeyPrefix(destination: S3Location, generator: GeneratorIdentity): string {
  const base = destination.prefix === "" || destination.prefix.endsWith("/")
    ? destination.prefix
    : `${destination.prefix}/`;
  const folder = generator.index === null ? "standalone" : `gen-${generator.index}`;
  return `${base}${generator.run_id}/${folder}/`;
}

/**
 * The `s3://` prefix holding every generator of one run: what `osml-load merge` reads.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { runResultsUrl } from "./results_upload.ts";
 * assert.equal(runResultsUrl({ bucket: "b", prefix: "load/" }, "run-7"), "s3://b/load/run-7/");
 * ```
 */
export function runResultsUrl(destination: S3Location, runId: string): string {
  const base = destination.prefix === "" || destination.prefix.endsWith("/")
    ? destination.prefix
    : `${destination.prefix}/`;
  return `s3://${destination.bucket}/${base}${runId}/`;
}

/**
 * The object keys of `files` below `keyPrefix`: a file inside `logDir` at its
 * path there, any other by its name (a name already taken gets `-2`, `-3`, …).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { resultsKeys } from "./results_upload.ts";
 * const keys = resultsKeys("p/", "logs", ["logs/job_summary.json", "out/run_stats.csv", "x/run_stats.csv"]);
 * assert.deepEqual([...keys.values()], ["p/job_summary.json", "p/run_stats.csv", "p/run_stats-2.csv"]);
 * ```
 */
export function resultsKeys(
  keyPrefix: string,
  logDir: string,
  files: readonly string[],
): Map<string, string> {
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  const root = resolve(logDir);
  for (const file of files) {
    const path = resolve(file);
    if (keys.has(path)) continue;
    const inside = relative(root, path);
    let name = inside !== "" && !inside.startsWith("..") && !isAbsolute(inside)
      ? inside.split(sep).join("/")
      : basename(path);
    if (taken.has(name)) {
      const dot = name.lastIndexOf(".");
      const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
      let n = 2;
      while (taken.has(`${stem}-${n}${ext}`)) n++;
      name = `${stem}-${n}${ext}`;
    }
    taken.add(name);
    keys.set(path, `${keyPrefix}${name}`);
  }
  return keys;
}

function contentTypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return {
    json: "application/json",
    csv: "text/csv; charset=utf-8",
    html: "text/html; charset=utf-8",
    xml: "application/xml",
    log: "text/plain; charset=utf-8",
  }[ext] ?? "application/octet-stream";
}

/** The run's region from its configuration (`Region` row: `us-west-2 (AWS_REGION)`). */
function regionOf(ctx: OutputContext): string | undefined {
  const row = ctx.configuration.find(([label]) => label === "Region")?.[1];
  return row?.replace(/ \([^()]*\)$/, "") || undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * The output that uploads a run's results to `--results-to` (see the module doc).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { createResultsUploadOutput } from "./results_upload.ts";
 * const output = createResultsUploadOutput({
 *   destination: { bucket: "results", prefix: "osml-load/" },
 *   generator: { index: 0, host: null, run_id: "run-1" },
 *   logDir: "logs",
 *   files: ["logs/job_summary.json"],
 * });
 * assert.equal(output.name, "results-upload");
 * ```
 */
export function createResultsUploadOutput(options: ResultsUploadOptions): Output {
  const keyPrefix = resultsKeyPrefix(options.destination, options.generator);
  const statsFile = resolve(options.logDir, MERGEABLE_STATS_FILE);
  const progressFiles = [resolve(options.logDir, "job_summary.json"), statsFile];
  const intervalMs = options.intervalMs ?? 0;
  const finishLimitMs = options.finishLimitMs ?? 60_000;
  const abort = new AbortController();
  let client: S3Client | undefined = options.client;
  let ownClient = false;
  let unusable = false;
  let lastProgress = -Infinity;
  let progress: Promise<void> | undefined;

  const clientFor = async (ctx: OutputContext): Promise<S3Client> => {
    if (client) return client;
    const [{ s3Client }, { resolveRegion }] = await Promise.all([
      import("../aws/s3_client.ts"),
      import("../discovery/region.ts"),
    ]);
    const region = options.region ?? regionOf(ctx) ??
      (await resolveRegion(undefined, options.env)).region;
    client = s3Client({
      region,
      timeoutMs: options.awsTimeoutMs ?? 15_000,
      signal: abort.signal,
      ...(options.env ? { env: options.env } : {}),
    });
    ownClient = true;
    return client;
  };

  const upload = async (s3: S3Client, files: readonly string[]): Promise<string[]> => {
    const keys = resultsKeys(keyPrefix, options.logDir, files);
    const uploaded: string[] = [];
    for (const [path, key] of keys) {
      if (!(await exists(path))) continue;
      const body = await Deno.readFile(path);
      await s3.send(
        new PutObjectCommand({
          Bucket: options.destination.bucket,
          Key: key,
          Body: body,
          ContentType: contentTypeOf(path),
        }),
      );
      uploaded.push(key);
    }
    return uploaded;
  };

  return {
    name: "results-upload",
    async start(ctx) {
      try {
        await checkBucket(await clientFor(ctx), options.destination, "--results-to", "write");
      } catch (error) {
        unusable = true;
        throw error;
      }
    },
    async tick(ctx, now) {
      if (unusable || intervalMs <= 0 || progress || now - lastProgress < intervalMs) return;
      lastProgress = now;
      const s3 = await clientFor(ctx);
      // Not awaited: a slow upload must not hold up the run's clock. A failure here is not
      // fatal (the final upload reports its own).
      progress = upload(s3, progressFiles).then(() => {}, () => {}).finally(() => {
        progress = undefined;
      });
    },
    async finish(ctx) {
      if (unusable) return;
      const timer = setTimeout(() => abort.abort(), finishLimitMs);
      try {
        await progress;
        const s3 = await clientFor(ctx);
        const others = [...options.files.map((f) => resolve(f))].filter((f) =>
          !progressFiles.includes(f)
        );
        const uploaded = await upload(s3, [...others, ...progressFiles]);
        options.write?.(
          `Uploaded ${uploaded.length} file(s) to s3://${options.destination.bucket}/${keyPrefix}`,
        );
      } catch (error) {
        const why = abort.signal.aborted
          ? `not done within ${finishLimitMs / 1000} s`
          : `${awsErrorCode(error)}: ${error instanceof Error ? error.message : String(error)}`;
        throw new Error(
          `could not upload the results to s3://${options.destination.bucket}/${keyPrefix} ` +
            `(${why}): check the bucket, the network and s3:PutObject on the prefix`,
        );
      } finally {
        clearTimeout(timer);
        if (ownClient) client?.destroy();
      }
    },
  };
}
