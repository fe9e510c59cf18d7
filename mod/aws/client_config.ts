/**
 * One home for what an SDK client is built from: the region of
 * {@linkcode AwsSettings}, and from its environment (default the process's) an
 * explicit endpoint when `AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL`
 * is set, explicit static credentials when `AWS_ACCESS_KEY_ID` and
 * `AWS_SECRET_ACCESS_KEY` are set (else none, so the SDK's default chain —
 * profiles, SSO, ECS and instance roles — still works), and S3's path-style
 * addressing when its endpoint is overridden. No SDK is imported here: a
 * worker loads only the one service it uses.
 *
 * Credentials are never logged or written: messages name endpoints, never keys.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { awsClientConfig } from "./client_config.ts";
 * const env = {
 *   AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
 *   AWS_ACCESS_KEY_ID: "test",
 *   AWS_SECRET_ACCESS_KEY: "test",
 * };
 * assert.deepEqual(awsClientConfig("s3", { region: "us-west-2", env }), {
 *   region: "us-west-2",
 *   endpoint: "http://127.0.0.1:4566",
 *   credentials: { accessKeyId: "test", secretAccessKey: "test" },
 *   forcePathStyle: true,
 * });
 * assert.deepEqual(awsClientConfig("sqs", { region: "eu-west-1", env: {} }), { region: "eu-west-1" });
 * ```
 * @module
 */
import type { AwsEnv, AwsSettings } from "./aws_settings.ts";

/** The services the tool calls, as their endpoint variables spell them (lower case). */
export type AwsService = "sqs" | "s3" | "ecs" | "sts" | "sagemaker" | "sns" | "cost_explorer";

/** Static credentials from the environment. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The part of an SDK client's configuration the environment decides. */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials?: StaticCredentials;
  forcePathStyle?: boolean;
}

const SERVICES: readonly AwsService[] = [
  "sqs",
  "s3",
  "ecs",
  "sts",
  "sagemaker",
  "sns",
  "cost_explorer",
];
const CREDENTIAL_VARS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];
/** What the tool reads when the whole environment may not be read (`--allow-env=A,B`). */
const KNOWN_VARS = [
  "AWS_ENDPOINT_URL",
  ...SERVICES.map((s) => `AWS_ENDPOINT_URL_${s.toUpperCase()}`),
  ...CREDENTIAL_VARS,
  "REGION",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "ACCOUNT",
  "HOSTNAME",
  "OSML_LOAD_GENERATOR_INDEX",
  "OSML_LOAD_RUN_ID",
];

/**
 * The process environment, for callers that were given none. Only what may
 * already be read: with `--allow-env=A,B` the variables the tool knows that
 * are granted; nothing that would prompt.
 *
 * @example
 * ```ts
 * import { processEnv } from "./client_config.ts";
 * if (typeof processEnv() !== "object") throw new Error("an object");
 * ```
 */
export function processEnv(): AwsEnv {
  if (granted({ name: "env" })) return Deno.env.toObject();
  const env: Record<string, string> = {};
  for (const name of KNOWN_VARS) {
    if (!granted({ name: "env", variable: name })) continue;
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

/**
 * The endpoint override for `service` in `env`: `AWS_ENDPOINT_URL_<SERVICE>`,
 * else `AWS_ENDPOINT_URL`, else undefined (the service's public endpoint).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { endpointOverride } from "./client_config.ts";
 * const env = { AWS_ENDPOINT_URL: "http://a", AWS_ENDPOINT_URL_S3: "http://b" };
 * assert.equal(endpointOverride("s3", env), "http://b");
 * assert.equal(endpointOverride("sqs", env), "http://a");
 * assert.equal(endpointOverride("sqs", {}), undefined);
 * ```
 */
export function endpointOverride(service: string, env: AwsEnv = processEnv()): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.AWS_ENDPOINT_URL || undefined;
}

/**
 * Static credentials in `env` (`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`,
 * with `AWS_SESSION_TOKEN` when set); undefined when either key is missing.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { staticCredentials } from "./client_config.ts";
 * assert.deepEqual(
 *   staticCredentials({ AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" }),
 *   { accessKeyId: "a", secretAccessKey: "s", sessionToken: "t" },
 * );
 * assert.equal(staticCredentials({ AWS_ACCESS_KEY_ID: "a" }), undefined);
 * ```
 */
export function staticCredentials(env: AwsEnv): StaticCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/**
 * The SDK client configuration of `service` for `settings` (see the module doc).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { awsClientConfig } from "./client_config.ts";
 * const config = awsClientConfig("sqs", {
 *   region: "us-west-2",
 *   env: { AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9324" },
 * });
 * assert.equal(config.endpoint, "http://127.0.0.1:9324");
 * assert.equal(config.credentials, undefined); // the SDK's default chain finds them
 * ```
 */
export function awsClientConfig(service: AwsService, settings: AwsSettings): AwsClientConfig {
  const env = settings.env ?? processEnv();
  const endpoint = endpointOverride(service, env);
  const credentials = staticCredentials(env);
  return {
    region: settings.region,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(service === "s3" && endpoint ? { forcePathStyle: true } : {}),
  };
}

/**
 * The part of `env` a client of `service` reads, and nothing else: its endpoint
 * override (as `AWS_ENDPOINT_URL_<SERVICE>`) and the static credentials. What
 * the run hands its workers, instead of the whole environment.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { clientEnv } from "./client_config.ts";
 * const env = { AWS_ENDPOINT_URL: "http://a", AWS_ACCESS_KEY_ID: "k", AWS_SECRET_ACCESS_KEY: "s", HOME: "/root" };
 * assert.deepEqual(clientEnv("sqs", env), {
 *   AWS_ENDPOINT_URL_SQS: "http://a",
 *   AWS_ACCESS_KEY_ID: "k",
 *   AWS_SECRET_ACCESS_KEY: "s",
 * });
 * ```
 */
export function clientEnv(service: AwsService, env: AwsEnv = processEnv()): Record<string, string> {
  const out: Record<string, string> = {};
  const endpoint = endpointOverride(service, env);
  if (endpoint) out[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] = endpoint;
  const credentials = staticCredentials(env);
  if (credentials) {
    out.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    out.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    if (credentials.sessionToken) out.AWS_SESSION_TOKEN = credentials.sessionToken;
  }
  return out;
}

/**
 * `env` without any `AWS_*` variable: endpoints, credentials, session token, profile, region
 * and config-file locations. What a run against the embedded simulator starts from, so that
 * nothing of the user's own AWS setup (a LocalStack `AWS_ENDPOINT_URL_SQS`, a real session
 * token) reaches the simulator or overrides it.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { withoutAwsVariables } from "./client_config.ts";
 * assert.deepEqual(
 *   withoutAwsVariables({ AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:1", AWS_SESSION_TOKEN: "t", HOME: "/h" }),
 *   { HOME: "/h" },
 * );
 * ```
 */
export function withoutAwsVariables(env: AwsEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("AWS_")));
}
