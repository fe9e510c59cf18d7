/**
 * The simulator's ECS clusters and tasks. RunTask makes tasks that start as
 * local processes through a {@linkcode TaskRunner} the caller injects (the
 * library starts nothing by itself; see `local_deno_task_runner.ts`):
 *
 * - a task is PROVISIONING when RunTask answers, RUNNING once the runner has
 *   started its process, and STOPPED when the process ends: `stopCode`
 *   `EssentialContainerExited`, `containers[0].exitCode` the exit code;
 * - StopTask sends SIGTERM (the task is STOPPING, `stopCode` `UserInitiated`)
 *   and SIGKILL after the container's `stopTimeout` (default 30 s), as ECS does;
 * - a runner that throws, or no runner at all, stops the task with
 *   `TaskFailedToStart` and the reason in `stoppedReason`;
 * - a running task accrues Fargate vCPU-hours and GB-hours (the task
 *   definition's `cpu` / `memory`) in the usage ledger.
 *
 * One process runs per task, for the task definition's first essential
 * container; other containers of the task only mirror its status.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { EcsTasks, type TaskRunner } from "./ecs_tasks.ts";
 * const runner: TaskRunner = () => {
 *   let end: (code: number) => void = () => {};
 *   const exited = new Promise<{ exitCode: number | null; signal: string | null }>((r) =>
 *     end = (code) => r({ exitCode: code, signal: null })
 *   );
 *   return { exited, kill: () => end(143) };
 * };
 * const tasks = new EcsTasks({
 *   region: "us-west-2", account: "123456789012", runner, env: {},
 *   findTaskDefinition: () => ({
 *     taskDefinitionArn: "arn:aws:ecs:us-west-2:123456789012:task-definition/g:1", family: "g",
 *     revision: 1, status: "ACTIVE", registeredAt: 0, containerDefinitions: [{ name: "c" }],
 *   }),
 * });
 * tasks.createCluster("default");
 * const { tasks: [task] } = tasks.run({ taskDefinition: "g" });
 * assert.equal(task?.lastStatus, "PROVISIONING");
 * await tasks.close();
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";
import type { ContainerDefinition, TaskDefinition } from "./ecs_api.ts";
import type { RunningResource, UsageLedger } from "./usage.ts";

/** What a {@linkcode TaskRunner} is asked to start: one task's process. */
export interface TaskSpec {
  taskArn: string;
  /** The 32-hex task id (last part of the ARN). */
  taskId: string;
  clusterArn: string;
  taskDefinitionArn: string;
  family: string;
  /** The container that runs as the process. */
  containerName: string;
  /** The container's command: the override's, else the task definition's, else []. */
  command: string[];
  /** The container's environment: the task definition's, then the override's. */
  environment: Record<string, string>;
  /** The simulator's AWS settings (AWS_ENDPOINT_URL, region, test credentials). */
  simulatorEnv: Record<string, string>;
  /** Seconds between SIGTERM and SIGKILL on StopTask. */
  stopTimeoutSeconds: number;
  startedBy?: string | undefined;
  group: string;
}

/** How a task's process ended. */
export interface LocalTaskExit {
  /** The exit code (128 + signal number when killed by a signal), or null if unknown. */
  exitCode: number | null;
  /** The signal that ended it, if any. */
  signal: string | null;
}

/** A started task process, as a runner returns it. */
export interface LocalTask {
  /** Process id, when there is a process. */
  readonly pid?: number | undefined;
  /** Settles when the process has ended (and its output is flushed). */
  readonly exited: Promise<LocalTaskExit>;
  /** Send a signal (StopTask: SIGTERM, then SIGKILL after the stop timeout). */
  kill(signal: "SIGTERM" | "SIGKILL"): void;
}

/** Starts the process of a task. */
export type TaskRunner = (spec: TaskSpec) => LocalTask | Promise<LocalTask>;

/** An ECS cluster. */
export interface EcsCluster {
  clusterArn: string;
  clusterName: string;
  status: "ACTIVE";
  tags: { key: string; value: string }[];
}

/** A container of a task, as DescribeTasks shows it. */
export interface TaskContainer {
  containerArn: string;
  taskArn: string;
  name: string;
  image?: string | undefined;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  runtimeId?: string;
  healthStatus: "UNKNOWN";
}

/** A task, in the ECS JSON shape (times in epoch seconds). */
export interface TaskDescription {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  lastStatus: string;
  desiredStatus: "RUNNING" | "STOPPED";
  launchType: string;
  cpu?: string;
  memory?: string;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  group: string;
  startedBy?: string;
  version: number;
  platformVersion?: string;
  availabilityZone: string;
  connectivity: string;
  containers: TaskContainer[];
  overrides: { containerOverrides: unknown[]; inferenceAcceleratorOverrides: unknown[] };
  attachments: unknown[];
  tags?: { key: string; value: string }[];
}

/** Input of {@linkcode EcsTasks.run} (the RunTask request). */
export interface RunTaskInput {
  cluster?: string;
  taskDefinition: string;
  count?: number;
  launchType?: string;
  startedBy?: string;
  group?: string;
  networkConfiguration?: {
    awsvpcConfiguration?: {
      subnets?: string[];
      securityGroups?: string[];
      assignPublicIp?: string;
    };
  };
  overrides?: {
    containerOverrides?: {
      name?: string;
      command?: string[];
      environment?: { name?: string; value?: string }[];
    }[];
    cpu?: string;
    memory?: string;
  };
  tags?: { key?: string; value?: string }[];
  [field: string]: unknown;
}

/** Options of {@linkcode EcsTasks}. */
export interface EcsTasksOptions {
  region: string;
  account: string;
  /** Resolves a task definition reference (ARN, family:revision, family). */
  findTaskDefinition: (ref: string) => TaskDefinition | undefined;
  /** Starts processes; without one, tasks fail to start. */
  runner?: TaskRunner | undefined;
  /** The simulator's AWS env given to every task. */
  env: Record<string, string>;
  ledger?: UsageLedger | undefined;
  /** How long a task stays PROVISIONING before its process starts, ms (default 0). */
  provisioningMs?: number;
}

interface TaskRecord {
  d: TaskDescription;
  spec: TaskSpec;
  local: LocalTask | undefined;
  killTimer: ReturnType<typeof setTimeout> | undefined;
  startTimer: ReturnType<typeof setTimeout> | undefined;
  usage: RunningResource[];
  /** Settles when the task is STOPPED and its process (if any) has ended. */
  done: Promise<void>;
  resolveDone: () => void;
}

function invalidParameter(message: string): AwsError {
  return new AwsError(400, "InvalidParameterException", message);
}

function seconds(ms: number): number {
  return ms / 1000;
}

function hexId(): string {
  return crypto.randomUUID().replace(/-/g, "");
}

/**
 * Clusters and tasks of the simulator's ECS.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { EcsTasks } from "./ecs_tasks.ts";
 * const tasks = new EcsTasks({ region: "us-west-2", account: "123456789012", env: {}, findTaskDefinition: () => undefined });
 * assert.equal(tasks.createCluster("osml-load").clusterArn, "arn:aws:ecs:us-west-2:123456789012:cluster/osml-load");
 * ```
 */
export class EcsTasks {
  readonly region: string;
  readonly account: string;
  /** The runner that starts task processes (settable). */
  runner: TaskRunner | undefined;
  /** The simulator's AWS env given to every task (settable). */
  env: Record<string, string>;
  /** PROVISIONING time before the process starts, ms. */
  provisioningMs: number;
  #find: (ref: string) => TaskDefinition | undefined;
  #ledger: UsageLedger | undefined;
  #clusters = new Map<string, EcsCluster>();
  #tasks = new Map<string, TaskRecord>();
  #closed = false;

  /** An empty set of clusters and tasks. */
  constructor(options: EcsTasksOptions) {
    this.region = options.region;
    this.account = options.account;
    this.runner = options.runner;
    this.env = options.env;
    this.provisioningMs = options.provisioningMs ?? 0;
    this.#find = options.findTaskDefinition;
    this.#ledger = options.ledger;
  }

  /** Create a cluster (or return the existing one). */
  createCluster(name: string, tags: { key: string; value: string }[] = []): EcsCluster {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      throw invalidParameter(
        `Cluster name "${name}" is invalid: use 1-255 letters, numbers, hyphens and underscores.`,
      );
    }
    const existing = this.#clusters.get(name);
    if (existing) return existing;
    const cluster: EcsCluster = {
      clusterArn: `arn:aws:ecs:${this.region}:${this.account}:cluster/${name}`,
      clusterName: name,
      status: "ACTIVE",
      tags,
    };
    this.#clusters.set(name, cluster);
    return cluster;
  }

  /** Every cluster, in creation order. */
  listClusters(): EcsCluster[] {
    return [...this.#clusters.values()];
  }

  /** The cluster a name or ARN refers to (default `default`), if any. */
  findCluster(ref: string | undefined): EcsCluster | undefined {
    const r = ref === undefined || ref === "" ? "default" : ref;
    const name = r.startsWith("arn:") ? r.slice(r.lastIndexOf("/") + 1) : r;
    const c = this.#clusters.get(name);
    return c && (!r.startsWith("arn:") || c.clusterArn === r) ? c : undefined;
  }

  /** The cluster a name or ARN refers to, or `ClusterNotFoundException`. */
  cluster(ref: string | undefined): EcsCluster {
    const c = this.findCluster(ref);
    if (!c) {
      throw new AwsError(
        400,
        "ClusterNotFoundException",
        `Cluster not found (${
          ref || "default"
        }): create it, or pass the cluster the tasks should run in.`,
      );
    }
    return c;
  }

  /** Counts of a cluster's tasks (for DescribeClusters). */
  clusterCounts(cluster: EcsCluster): { running: number; pending: number } {
    let running = 0;
    let pending = 0;
    for (const t of this.#tasks.values()) {
      if (t.d.clusterArn !== cluster.clusterArn) continue;
      if (t.d.lastStatus === "RUNNING") running++;
      else if (t.d.lastStatus === "PROVISIONING" || t.d.lastStatus === "PENDING") pending++;
    }
    return { running, pending };
  }

  /** RunTask: validate, make `count` tasks in PROVISIONING, start each process soon after. */
  run(input: RunTaskInput): { tasks: TaskDescription[]; failures: unknown[] } {
    if (this.#closed) throw new AwsError(500, "ServerException", "The simulator is closing.");
    const cluster = this.cluster(input.cluster);
    const ref = typeof input.taskDefinition === "string" ? input.taskDefinition : "";
    if (ref === "") {
      throw invalidParameter("taskDefinition is required: pass a family, family:revision or ARN.");
    }
    const td = this.#find(ref);
    if (!td || td.status !== "ACTIVE") {
      throw invalidParameter(
        `TaskDefinition not found (${ref}): register it, or check the family and revision (ListTaskDefinitions).`,
      );
    }
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10) {
      throw invalidParameter(`count must be an integer from 1 to 10 (got ${String(input.count)}).`);
    }
    const subnets = input.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
    if (td.networkMode === "awsvpc" && subnets.length === 0) {
      throw invalidParameter(
        "Network Configuration must be provided when networkMode 'awsvpc' is specified: pass networkConfiguration.awsvpcConfiguration.subnets.",
      );
    }
    const containers = td.containerDefinitions;
    const overrides = input.overrides?.containerOverrides ?? [];
    for (const o of overrides) {
      if (!containers.some((c) => c.name === o.name)) {
        throw invalidParameter(
          `Override for container named ${o.name} is not a container in the TaskDefinition (${
            containers.map((c) => c.name).join(", ")
          }).`,
        );
      }
      for (const e of o.environment ?? []) {
        if (typeof e.name !== "string" || e.name === "") {
          throw invalidParameter("Every environment override needs a name.");
        }
      }
    }
    const tags = (input.tags ?? []).map((t) => ({
      key: String(t.key ?? ""),
      value: String(t.value ?? ""),
    }));
    if (tags.some((t) => t.key === "")) throw invalidParameter("Every tag needs a key.");
    const main = containers.find((c) => c.essential !== false) ?? containers[0]!;
    const out: TaskDescription[] = [];
    for (let i = 0; i < count; i++) {
      const record = this.#makeTask(cluster, td, main, input, tags);
      this.#tasks.set(record.d.taskArn, record);
      out.push(structuredClone(record.d));
    }
    return { tasks: out, failures: [] };
  }

  #makeTask(
    cluster: EcsCluster,
    td: TaskDefinition,
    main: ContainerDefinition,
    input: RunTaskInput,
    tags: { key: string; value: string }[],
  ): TaskRecord {
    const id = hexId();
    const taskArn = `arn:aws:ecs:${this.region}:${this.account}:task/${cluster.clusterName}/${id}`;
    const override = input.overrides?.containerOverrides?.find((o) => o.name === main.name);
    const environment: Record<string, string> = {};
    for (const e of (main.environment ?? [])) environment[e.name] = e.value;
    for (const e of override?.environment ?? []) environment[e.name!] = e.value ?? "";
    const command = override?.command ??
      (Array.isArray(main.command) ? (main.command as unknown[]).map(String) : []);
    const group = input.group ?? `family:${td.family}`;
    const stopTimeout = typeof main.stopTimeout === "number" ? main.stopTimeout : 30;
    const cpu = input.overrides?.cpu ?? (td.cpu === undefined ? undefined : String(td.cpu));
    const memory = input.overrides?.memory ??
      (td.memory === undefined ? undefined : String(td.memory));
    const launchType = input.launchType ??
      (Array.isArray(td.requiresCompatibilities) && td.requiresCompatibilities.includes("FARGATE")
        ? "FARGATE"
        : "EC2");
    const subnets = input.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
    const d: TaskDescription = {
      taskArn,
      clusterArn: cluster.clusterArn,
      taskDefinitionArn: td.taskDefinitionArn,
      lastStatus: "PROVISIONING",
      desiredStatus: "RUNNING",
      launchType,
      createdAt: seconds(Date.now()),
      group,
      version: 1,
      availabilityZone: `${this.region}a`,
      connectivity: "CONNECTED",
      containers: td.containerDefinitions.map((c) => ({
        containerArn:
          `arn:aws:ecs:${this.region}:${this.account}:container/${cluster.clusterName}/${id}/${crypto.randomUUID()}`,
        taskArn,
        name: c.name,
        image: c.image,
        lastStatus: "PENDING",
        healthStatus: "UNKNOWN" as const,
      })),
      overrides: {
        containerOverrides: structuredClone(input.overrides?.containerOverrides ?? []),
        inferenceAcceleratorOverrides: [],
      },
      attachments: subnets.length > 0
        ? [{
          id: crypto.randomUUID(),
          type: "ElasticNetworkInterface",
          status: "PRECREATED",
          details: [{ name: "subnetId", value: subnets[0] }],
        }]
        : [],
      tags,
    };
    if (cpu !== undefined) d.cpu = cpu;
    if (memory !== undefined) d.memory = memory;
    if (input.startedBy !== undefined) d.startedBy = input.startedBy;
    if (launchType === "FARGATE") d.platformVersion = "1.4.0";
    const spec: TaskSpec = {
      taskArn,
      taskId: id,
      clusterArn: cluster.clusterArn,
      taskDefinitionArn: td.taskDefinitionArn,
      family: td.family,
      containerName: main.name,
      command,
      environment,
      simulatorEnv: { ...this.env },
      stopTimeoutSeconds: stopTimeout,
      startedBy: input.startedBy,
      group,
    };
    let resolveDone = () => {};
    const done = new Promise<void>((resolve) => resolveDone = resolve);
    const record: TaskRecord = {
      d,
      spec,
      local: undefined,
      killTimer: undefined,
      startTimer: undefined,
      usage: [],
      done,
      resolveDone,
    };
    record.startTimer = setTimeout(() => {
      record.startTimer = undefined;
      this.#start(record).finally(record.resolveDone);
    }, this.provisioningMs);
    return record;
  }

  async #start(t: TaskRecord): Promise<void> {
    if (t.d.lastStatus === "STOPPED") return;
    const runner = this.runner;
    if (!runner) {
      this.#finish(t, {
        stopCode: "TaskFailedToStart",
        reason:
          "CannotStartContainerError: the simulator runs no task processes; start it with a taskRunner (e.g. localDenoTaskRunner).",
      });
      return;
    }
    t.d.pullStartedAt = seconds(Date.now());
    let local: LocalTask;
    try {
      local = await runner(structuredClone(t.spec));
    } catch (e) {
      this.#finish(t, {
        stopCode: "TaskFailedToStart",
        reason: `CannotStartContainerError: ${e instanceof Error ? e.message : String(e)}`,
      });
      return;
    }
    t.local = local;
    const now = seconds(Date.now());
    t.d.pullStoppedAt = now;
    if (t.d.desiredStatus === "RUNNING") {
      t.d.lastStatus = "RUNNING";
      t.d.startedAt = now;
      t.d.version++;
      for (const c of t.d.containers) {
        c.lastStatus = "RUNNING";
        if (local.pid !== undefined) c.runtimeId = `${t.spec.taskId}-${local.pid}`;
      }
      this.#startUsage(t);
    } else {
      // StopTask came while the process was starting.
      t.d.lastStatus = "STOPPING";
      this.#signal(t);
    }
    let exit: LocalTaskExit;
    try {
      exit = await local.exited;
    } catch (e) {
      exit = { exitCode: null, signal: e instanceof Error ? e.message : String(e) };
    }
    if (t.killTimer !== undefined) clearTimeout(t.killTimer);
    t.killTimer = undefined;
    this.#finish(t, { exit });
  }

  #startUsage(t: TaskRecord): void {
    if (!this.#ledger) return;
    const vcpu = Number(t.d.cpu) / 1024;
    const gb = Number(t.d.memory) / 1024;
    const service = "Amazon Elastic Container Service";
    if (vcpu > 0) {
      t.usage.push(
        this.#ledger.start({ service, usageType: "Fargate-vCPU-Hours:perCPU", unitsPerHour: vcpu }),
      );
    }
    if (gb > 0) {
      t.usage.push(
        this.#ledger.start({ service, usageType: "Fargate-GB-Hours", unitsPerHour: gb }),
      );
    }
  }

  #finish(
    t: TaskRecord,
    how: { stopCode?: string; reason?: string; exit?: LocalTaskExit },
  ): void {
    if (t.d.lastStatus === "STOPPED") return;
    const now = seconds(Date.now());
    for (const u of t.usage) this.#ledger?.stop(u);
    t.usage = [];
    t.d.lastStatus = "STOPPED";
    t.d.desiredStatus = "STOPPED";
    t.d.stoppingAt ??= now;
    t.d.executionStoppedAt = now;
    t.d.stoppedAt = now;
    t.d.version++;
    if (t.d.stopCode === undefined) {
      t.d.stopCode = how.stopCode ?? "EssentialContainerExited";
      t.d.stoppedReason = how.reason ?? "Essential container in task exited";
    }
    for (const c of t.d.containers) {
      c.lastStatus = "STOPPED";
      if (c.name !== t.spec.containerName) continue;
      if (how.exit && how.exit.exitCode !== null) c.exitCode = how.exit.exitCode;
      if (how.exit?.signal) c.reason = `Stopped by ${how.exit.signal}`;
      if (how.reason && !how.exit) c.reason = how.reason;
    }
    if (t.startTimer !== undefined) {
      // Stopped while provisioning: the process never starts.
      clearTimeout(t.startTimer);
      t.startTimer = undefined;
      t.resolveDone();
    }
  }

  #signal(t: TaskRecord): void {
    const local = t.local;
    if (!local) return;
    try {
      local.kill("SIGTERM");
    } catch {
      // already gone
    }
    if (t.killTimer === undefined) {
      t.killTimer = setTimeout(() => {
        t.killTimer = undefined;
        try {
          local.kill("SIGKILL");
        } catch {
          // already gone
        }
      }, t.spec.stopTimeoutSeconds * 1000);
    }
  }

  #findTask(clusterRef: string | undefined, ref: string): TaskRecord | undefined {
    const cluster = this.cluster(clusterRef);
    const t = ref.startsWith("arn:") ? this.#tasks.get(ref) : this.#tasks.get(
      `arn:aws:ecs:${this.region}:${this.account}:task/${cluster.clusterName}/${ref}`,
    );
    return t && t.d.clusterArn === cluster.clusterArn ? t : undefined;
  }

  /** DescribeTasks: the tasks found, and a `MISSING` failure for each other reference. */
  describe(
    clusterRef: string | undefined,
    refs: string[],
    includeTags = false,
  ): { tasks: TaskDescription[]; failures: { arn: string; reason: string }[] } {
    if (refs.length === 0 || refs.length > 100) {
      throw invalidParameter(`tasks must list 1 to 100 task ARNs or ids (got ${refs.length}).`);
    }
    const tasks: TaskDescription[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const ref of refs) {
      const t = this.#findTask(clusterRef, ref);
      if (!t) {
        failures.push({ arn: ref, reason: "MISSING" });
        continue;
      }
      const d = structuredClone(t.d);
      if (!includeTags) delete d.tags;
      tasks.push(d);
    }
    return { tasks, failures };
  }

  /** ListTasks: ARNs of a cluster's tasks with that desired status (default RUNNING). */
  list(filter: {
    cluster?: string | undefined;
    family?: string | undefined;
    startedBy?: string | undefined;
    desiredStatus?: string | undefined;
    launchType?: string | undefined;
  }): string[] {
    const cluster = this.cluster(filter.cluster);
    const desired = filter.desiredStatus ?? "RUNNING";
    const out: string[] = [];
    for (const t of this.#tasks.values()) {
      if (t.d.clusterArn !== cluster.clusterArn) continue;
      if (t.d.desiredStatus !== desired) continue;
      if (filter.family !== undefined && t.spec.family !== filter.family) continue;
      if (filter.startedBy !== undefined && t.d.startedBy !== filter.startedBy) continue;
      if (filter.launchType !== undefined && t.d.launchType !== filter.launchType) continue;
      out.push(t.d.taskArn);
    }
    return out;
  }

  /** StopTask: SIGTERM now, SIGKILL after the stop timeout; returns the task as it is now. */
  stop(clusterRef: string | undefined, ref: string, reason?: string): TaskDescription {
    const t = this.#findTask(clusterRef, ref);
    if (!t) {
      throw invalidParameter(
        `The referenced task was not found (${ref}): pass the task ARN RunTask returned, and its cluster.`,
      );
    }
    if (t.d.desiredStatus === "RUNNING") {
      t.d.desiredStatus = "STOPPED";
      t.d.stopCode = "UserInitiated";
      t.d.stoppedReason = reason === undefined || reason === "" ? "Task stopped by user" : reason;
      t.d.stoppingAt = seconds(Date.now());
      t.d.version++;
      if (t.local) {
        t.d.lastStatus = "STOPPING";
        this.#signal(t);
      } else if (t.startTimer !== undefined) {
        this.#finish(t, {});
      }
      // else: the runner is starting the process; #start signals it once it has it.
    }
    return structuredClone(t.d);
  }

  /**
   * Stop every task and wait for the processes: SIGTERM, then SIGKILL after
   * `graceMs` (default 5 s) or the task's stop timeout, whichever is shorter.
   */
  async close(graceMs = 5000): Promise<void> {
    this.#closed = true;
    for (const t of this.#tasks.values()) {
      if (t.d.lastStatus === "STOPPED") continue;
      t.spec.stopTimeoutSeconds = Math.min(t.spec.stopTimeoutSeconds, graceMs / 1000);
      if (t.killTimer !== undefined) {
        // Already stopping: shorten the wait for SIGKILL to the grace period.
        clearTimeout(t.killTimer);
        t.killTimer = undefined;
        this.#signal(t);
      } else {
        this.stop(t.d.clusterArn, t.d.taskArn, "The simulator closed");
      }
    }
    await Promise.all([...this.#tasks.values()].map((t) => t.done));
  }
}
