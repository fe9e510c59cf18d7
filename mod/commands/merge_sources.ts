/**
 * Where `osml-load merge` reads generators from: a local folder (a run's
 * `--log-dir`, or any folder above several of them) or an
 * `s3://bucket/prefix/` holding one or more (every page listed). Each
 * `osml-load-stats.json` found is one generator; the `job_status.json` and
 * `job_summary.json` beside it are read when present. Anything unreadable or
 * invalid is one {@linkcode UsageError} naming the file and the fix.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { isS3Source } from "./merge_sources.ts";
 * assert.equal(isS3Source("s3://results/run-7/"), true);
 * assert.equal(isS3Source("out/gen0/logs"), false);
 * ```
 * @module
 */

import { dirname, join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { awsErrorCode } from "../aws/aws_errors.ts";
import { parseS3Location } from "../aws/s3_location.ts";
import { MERGEABLE_STATS_FILE, type MergeableStats } from "../stats/mergeable_stats.ts";
import { parseMergeableStats } from "../stats/mergeable_stats_parse.ts";
import { UsageError } from "../usage_error.ts";

/** One generator's files. */
export interface LoadedGenerator {
  /** The folder (or `s3://` prefix) that holds its files, for messages. */
  source: string;
  /** The local folder holding its files, or undefined for S3. */
  localDir?: string;
  doc: MergeableStats;
  /** Its `job_status.json` (image id → record), when present. */
  jobStatus?: Record<string, unknown>;
  /** Its `job_summary.json`, when present. */
  jobSummary?: Record<string, unknown>;
}

/**
 * Whether a SOURCE names S3 (`s3://...`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { isS3Source } from "./merge_sources.ts";
 * assert.equal(isS3Source("S3://b/p"), true);
 * ```
 */
export function isS3Source(source: string): boolean {
  return /^s3:\/\//i.test(source);
}

function parseJsonObject(text: string, path: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}): ` +
        "the file is damaged or was cut short; remove it or leave this source out",
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new UsageError(`${path} holds no JSON object: remove it or leave this source out`);
  }
  return data as Record<string, unknown>;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new UsageError(
      `cannot read ${path} (${error instanceof Error ? error.message : String(error)}): ` +
        "check its permissions",
    );
  }
}

/** Every `osml-load-stats.json` under `dir` (symbolic links are not followed), sorted. */
async function findStatsFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(folder));
    } catch (error) {
      throw new UsageError(
        `cannot list ${folder} (${error instanceof Error ? error.message : String(error)}): ` +
          "check its permissions",
      );
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile && entry.name === MERGEABLE_STATS_FILE) found.push(path);
    }
  };
  await walk(dir);
  return found;
}

/**
 * The generators in a local folder (or one `osml-load-stats.json` file).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { loadLocalSource } from "./merge_sources.ts";
 * await assert.rejects(loadLocalSource("no/such/folder"), /no such file or folder/);
 * ```
 */
export async function loadLocalSource(source: string): Promise<LoadedGenerator[]> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(source);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "no such file or folder"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new UsageError(
      `SOURCE ${source}: ${why}: pass a run's --log-dir (it holds ${MERGEABLE_STATS_FILE}), ` +
        "a folder above several, or an s3://bucket/prefix/",
    );
  }
  const files = info.isDirectory ? await findStatsFiles(source) : [source];
  if (files.length === 0) {
    throw new UsageError(
      `SOURCE ${source} holds no ${MERGEABLE_STATS_FILE}: pass the --log-dir of a run made ` +
        "with this osml-load version (it writes that file there)",
    );
  }
  const generators: LoadedGenerator[] = [];
  for (const file of files) {
    const dir = dirname(file);
    const text = await readOptional(file);
    if (text === undefined) {
      throw new UsageError(`SOURCE ${file}: no such file: pass a run's --log-dir`);
    }
    const generator: LoadedGenerator = {
      source: dir,
      localDir: dir,
      doc: parseMergeableStats(text, file),
    };
    const status = await readOptional(join(dir, "job_status.json"));
    if (status !== undefined) {
      generator.jobStatus = parseJsonObject(status, join(dir, "job_status.json"));
    }
    const summary = await readOptional(join(dir, "job_summary.json"));
    if (summary !== undefined) {
      generator.jobSummary = parseJsonObject(summary, join(dir, "job_summary.json"));
    }
    generators.push(generator);
  }
  return generators;
}

function s3Problem(source: string, operation: string, error: unknown): UsageError {
  const code = awsErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return new UsageError(
    `cannot read ${source} (${operation}: ${code}: ${message}): check the bucket and prefix, ` +
      "the region (--aws-region), and that your credentials allow s3:ListBucket and s3:GetObject",
  );
}

/**
 * The generators under an `s3://bucket/prefix/` (every page of the listing),
 * or in one `s3://bucket/key/osml-load-stats.json`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
 * import { simClientConfig } from "../sim/aws/client_config.ts";
 * import { startSimulator } from "../sim/simulator.ts";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { MERGEABLE_STATS_SCHEMA, type MergeableStats, snapshotStats } from "../stats/mergeable_stats.ts";
 * import { loadS3Source } from "./merge_sources.ts";
 * const stats = new StatsAggregator(0);
 * stats.record({ type: "Submit Image", name: "small.tif:m", responseTimeMs: 100, length: 0, at: 500 });
 * const doc: MergeableStats = {
 *   schema: MERGEABLE_STATS_SCHEMA, locust_version: "2.46.3", final: true,
 *   generator: { index: 0, host: null, run_id: "r" }, started_at: 0, load_started_at: 0,
 *   stopped_at: 900, written_at: 900, user_count: 0, backlog_queue: null, configuration: [],
 *   stats: snapshotStats(stats), jobs: { total_image_sent: 1 }, history: [], final_row: null,
 * };
 * const sim = await startSimulator({ port: 0 });
 * const s3 = new S3Client({ ...simClientConfig(sim), forcePathStyle: true });
 * await s3.send(new CreateBucketCommand({ Bucket: "results" }));
 * await s3.send(new PutObjectCommand({
 *   Bucket: "results", Key: "run-7/gen-0/osml-load-stats.json", Body: JSON.stringify(doc),
 * }));
 * const generators = await loadS3Source("s3://results/run-7/", s3);
 * assert.deepEqual(generators.map((g) => g.source), ["s3://results/run-7/gen-0/"]);
 * s3.destroy();
 * await sim.close();
 * ```
 */
export async function loadS3Source(source: string, client: S3Client): Promise<LoadedGenerator[]> {
  const { GetObjectCommand, paginateListObjectsV2 } = await import("@aws-sdk/client-s3");
  const { bucket, prefix: given } = parseS3Location(source, "SOURCE");
  const get = async (key: string): Promise<string | undefined> => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await object.Body?.transformToString("utf-8") ?? "";
    } catch (error) {
      if (awsErrorCode(error) === "NoSuchKey") return undefined;
      throw s3Problem(`s3://${bucket}/${key}`, "GetObject", error);
    }
  };
  const keys = new Set<string>();
  let statsKeys: string[];
  if (given === MERGEABLE_STATS_FILE || given.endsWith(`/${MERGEABLE_STATS_FILE}`)) {
    statsKeys = [given];
  } else {
    const prefix = given === "" || given.endsWith("/") ? given : `${given}/`;
    try {
      for await (
        const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })
      ) {
        for (const object of page.Contents ?? []) if (object.Key) keys.add(object.Key);
      }
    } catch (error) {
      throw s3Problem(source, "ListObjectsV2", error);
    }
    statsKeys = [...keys].filter((k) =>
      k === `${prefix}${MERGEABLE_STATS_FILE}` || k.endsWith(`/${MERGEABLE_STATS_FILE}`)
    ).sort();
    if (statsKeys.length === 0) {
      throw new UsageError(
        `SOURCE ${source} holds no ${MERGEABLE_STATS_FILE} (${keys.size} object(s) under ` +
          `s3://${bucket}/${prefix}): pass the prefix the generators' --log-dir was copied to`,
      );
    }
  }
  const generators: LoadedGenerator[] = [];
  for (const key of statsKeys) {
    const dir = key.slice(0, key.length - MERGEABLE_STATS_FILE.length);
    const url = `s3://${bucket}/${key}`;
    const text = await get(key);
    if (text === undefined) {
      throw new UsageError(`SOURCE ${url}: no such object: pass an existing prefix or file`);
    }
    const generator: LoadedGenerator = {
      source: `s3://${bucket}/${dir}`,
      doc: parseMergeableStats(text, url),
    };
    // Beside a listed file, only listed keys are fetched; for a named file, absent ones are skipped.
    const beside = async (name: string) =>
      keys.size > 0 && !keys.has(`${dir}${name}`) ? undefined : await get(`${dir}${name}`);
    const status = await beside("job_status.json");
    if (status !== undefined) {
      generator.jobStatus = parseJsonObject(status, `s3://${bucket}/${dir}job_status.json`);
    }
    const summary = await beside("job_summary.json");
    if (summary !== undefined) {
      generator.jobSummary = parseJsonObject(summary, `s3://${bucket}/${dir}job_summary.json`);
    }
    generators.push(generator);
  }
  return generators;
}
