/**
 * Every AWS call ends: a client's `send` gets an abort signal that fires after
 * the call's timeout (retries included) or when the run is cancelled. A call
 * that ran out of time fails with an {@linkcode AwsTimeoutError} naming the
 * endpoint, the operation and the timeout.
 *
 * @example
 * ```ts
 * import { AwsTimeoutError, endpointOf } from "./call_deadline.ts";
 * const error = new AwsTimeoutError("sqs", "us-west-2", "ReceiveMessage", 15_000);
 * if (!error.message.includes("within 15 s")) throw new Error("names the timeout");
 * if (endpointOf("sqs", "us-west-2", {}) !== "https://sqs.us-west-2.amazonaws.com") {
 *   throw new Error("the public endpoint without an override");
 * }
 * if (endpointOf("sqs", "us-west-2", { AWS_ENDPOINT_URL: "http://127.0.0.1:9" }) !== "http://127.0.0.1:9") {
 *   throw new Error("the override");
 * }
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import { type AwsEnv, type AwsSettings, DEFAULT_AWS_TIMEOUT_MS } from "./aws_settings.ts";
import { endpointOverride, processEnv } from "./client_config.ts";

/** Hosts of the services the tool calls, by endpoint-variable suffix. */
const HOSTS: Record<string, (region: string) => string> = {
  sqs: (r) => `sqs.${r}.amazonaws.com`,
  s3: (r) => `s3.${r}.amazonaws.com`,
  ecs: (r) => `ecs.${r}.amazonaws.com`,
  sts: (r) => `sts.${r}.amazonaws.com`,
  sagemaker: (r) => `api.sagemaker.${r}.amazonaws.com`,
  cost_explorer: () => "ce.us-east-1.amazonaws.com",
};

/**
 * The endpoint a client of `service` talks to: `AWS_ENDPOINT_URL_<SERVICE>`,
 * `AWS_ENDPOINT_URL` in `env` (default the process environment), or the
 * service's public endpoint in `region`.
 */
export function endpointOf(service: string, region: string, env: AwsEnv = processEnv()): string {
  return endpointOverride(service, env) ??
    `https://${(HOSTS[service] ?? ((r: string) => `${service}.${r}.amazonaws.com`))(region)}`;
}

/**
 * An AWS call that got no answer in time. It is a usage error: before the
 * load starts it ends the run with exit 2 and this one line.
 */
export class AwsTimeoutError extends UsageError {
  /** Make the error for `operation` on `service`'s endpoint in `region` (as `env` sets it). */
  constructor(
    service: string,
    region: string,
    operation: string,
    timeoutMs: number,
    env: AwsEnv = processEnv(),
  ) {
    super(
      `no answer from ${endpointOf(service, region, env)} (${operation}) within ${
        timeoutMs / 1000
      } s: check the endpoint (AWS_ENDPOINT_URL…), the network and the region, or raise --aws-timeout`,
    );
    this.name = "AwsTimeoutError";
  }
}

interface Sendable {
  // deno-lint-ignore no-explicit-any
  send(command: any, options?: any): Promise<any>;
}

/**
 * Give every `send` of `client` a deadline and the run's cancellation.
 * `service` is the endpoint-variable suffix (`sqs`, `s3`, `ecs`, `sts`,
 * `sagemaker`, `cost_explorer`). Long polls (`WaitTimeSeconds`) get their wait
 * on top of the timeout.
 */
export function withCallDeadline<C extends Sendable>(
  client: C,
  service: string,
  settings: AwsSettings,
): C {
  const timeoutMs = settings.timeoutMs ?? DEFAULT_AWS_TIMEOUT_MS;
  const send = client.send.bind(client);
  // deno-lint-ignore no-explicit-any
  client.send = async (command: any, options?: any) => {
    const waitS = Number(command?.input?.WaitTimeSeconds ?? 0);
    const budget = timeoutMs + (Number.isFinite(waitS) ? waitS * 1000 : 0);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), budget);
    Deno.unrefTimer(timer);
    const signals = [deadline.signal];
    if (settings.signal) signals.push(settings.signal);
    if (options?.abortSignal) signals.push(options.abortSignal);
    try {
      return await send(command, { ...options, abortSignal: AbortSignal.any(signals) });
    } catch (error) {
      if (deadline.signal.aborted && !settings.signal?.aborted && !options?.abortSignal?.aborted) {
        const operation = String(command?.constructor?.name ?? "call").replace(/Command$/, "");
        throw new AwsTimeoutError(
          service,
          settings.region,
          operation,
          budget,
          settings.env ?? processEnv(),
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  return client;
}
