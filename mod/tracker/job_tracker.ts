/**
 * The job tracker (upstream-behaviour.md §6): every job this run submitted,
 * keyed by image id `<jobId>:<imageUrl>`, updated by status events, with
 * upstream's statistics kept incrementally (O(1) per event).
 *
 * Status events can overtake the registration of their job (the user worker
 * batches registrations); such events wait up to `graceMs` for it and are
 * then counted as foreign.
 *
 * @example
 * ```ts
 * import { JobTracker } from "./job_tracker.ts";
 * const tracker = new JobTracker();
 * tracker.register({ imageId: "j:s3://b/a.tif", jobId: "j", imageUrl: "s3://b/a.tif", messageId: "m",
 *   size: 1024, pixels: 4096, submittedAt: Date.now(), name: "a.tif:centerpoint", awaited: false }, 0);
 * tracker.update({ imageId: "j:s3://b/a.tif", jobId: "j", status: "SUCCESS", durationS: 3, receivedAt: Date.now() });
 * tracker.statistics().total_image_succeeded; // 1
 * ```
 * @module
 */
import type { JobRegistration, StatusEvent } from "../engine/protocol.ts";
import type { JobStatistics } from "../output/run_report.ts";
import {
  formatStartTime,
  JOB_STATUSES,
  type JobStatusRecord,
  type JobStatusValue,
  TERMINAL_STATUSES,
  type TrackedJob,
} from "./job_record.ts";

/** What changed when an event was applied. */
export interface JobTransition {
  job: TrackedJob;
  /** The status before the event. */
  previous: JobStatusValue;
  /** True when the job just became complete. */
  completedNow: boolean;
}

/** Counts of status messages that did not update a job. */
export interface StatusCounts {
  /** Events for jobs this run never registered (after the grace period). */
  foreign: number;
  /** Events with a status outside the five known ones. */
  unknownStatus: number;
  /** Events that arrived after the job's status was final (SUCCESS/FAILED). */
  ignoredFinal: number;
}

const GIB = 1024 ** 3;

/** Tracks jobs and their statuses. */
export class JobTracker {
  #jobs = new Map<string, TrackedJob>();
  #pending = new Map<string, { events: StatusEvent[]; since: number }>();
  #graceMs: number;
  #onTransition: ((t: JobTransition) => void) | undefined;
  #counts: StatusCounts = { foreign: 0, unknownStatus: 0, ignoredFinal: 0 };
  // Incremental statistics.
  #completed = 0;
  #succeeded = 0;
  #failed = 0;
  #partial = 0;
  #bytes = 0;
  #pixels = 0;
  #timedOut = 0;

  /** `onTransition` is called for every applied status change. */
  constructor(options: { graceMs?: number; onTransition?: (t: JobTransition) => void } = {}) {
    this.#graceMs = options.graceMs ?? 10_000;
    this.#onTransition = options.onTransition;
  }

  /** Number of tracked jobs. */
  get size(): number {
    return this.#jobs.size;
  }

  /** The tracked job with this image id. */
  get(imageId: string): TrackedJob | undefined {
    return this.#jobs.get(imageId);
  }

  /** Register (or re-register, resetting it) a submitted job. */
  register(job: JobRegistration, workerIndex: number): void {
    const existing = this.#jobs.get(job.imageId);
    if (existing?.record.completed) this.#uncount(existing);
    const record: JobStatusRecord = {
      job_id: job.jobId,
      image_url: job.imageUrl,
      message_id: job.messageId,
      status: "STARTED",
      completed: false,
      size: job.size,
      pixels: job.pixels,
      start_time: formatStartTime(new Date(job.submittedAt)),
      processing_duration: null,
    };
    this.#jobs.set(job.imageId, {
      record,
      name: job.name,
      submittedAt: job.submittedAt,
      startAt: job.scheduledAt ?? job.submittedAt,
      workerIndex,
      awaited: job.awaited,
    });
    const pending = this.#pending.get(job.imageId);
    if (pending) {
      this.#pending.delete(job.imageId);
      for (const event of pending.events) this.update(event);
    }
  }

  /**
   * Apply a status event (§6.2): unknown jobs wait for their registration;
   * SUCCESS and FAILED are final; PARTIAL may still change; a status outside
   * the enum changes nothing.
   */
  update(event: StatusEvent): JobTransition | undefined {
    const job = this.#jobs.get(event.imageId);
    if (!job) {
      const pending = this.#pending.get(event.imageId);
      if (pending) pending.events.push(event);
      else this.#pending.set(event.imageId, { events: [event], since: event.receivedAt });
      return undefined;
    }
    if (!(JOB_STATUSES as readonly string[]).includes(event.status)) {
      this.#counts.unknownStatus++;
      return undefined;
    }
    const record = job.record;
    if (record.status === "SUCCESS" || record.status === "FAILED") {
      this.#counts.ignoredFinal++;
      return undefined;
    }
    const previous = record.status;
    const wasCompleted = record.completed;
    if (wasCompleted) this.#uncount(job);
    record.status = event.status as JobStatusValue;
    if (TERMINAL_STATUSES.has(event.status)) {
      record.completed = true;
      record.processing_duration = event.durationS ??
        (event.receivedAt - Math.floor(job.submittedAt / 1000) * 1000) / 1000;
      job.completedAt = event.receivedAt;
    }
    if (record.completed) this.#count(job);
    const completedNow = record.completed && !wasCompleted;
    const transition = { job, previous, completedNow };
    this.#onTransition?.(transition);
    return transition;
  }

  /** Count pending events older than the grace period as foreign and drop them. */
  expirePending(now: number = Date.now()): number {
    let expired = 0;
    for (const [id, pending] of this.#pending) {
      if (now - pending.since >= this.#graceMs) {
        this.#pending.delete(id);
        this.#counts.foreign += pending.events.length;
        expired += pending.events.length;
      }
    }
    return expired;
  }

  /** Add foreign messages counted elsewhere (the monitor, in keep-foreign mode). */
  addForeign(count: number): void {
    this.#counts.foreign += count;
  }

  /** Counts of status events that changed nothing. */
  counts(): StatusCounts {
    return { ...this.#counts };
  }

  /** True when every job is complete (vacuously true with none, as upstream). */
  isComplete(): boolean {
    return this.#completed === this.#jobs.size;
  }

  /** Jobs not yet complete. */
  *openJobs(): IterableIterator<TrackedJob> {
    for (const job of this.#jobs.values()) if (!job.record.completed) yield job;
  }

  /** Mark every open job as timed out (the completion wait ran out). */
  markOpenJobsTimedOut(): TrackedJob[] {
    const open = [...this.openJobs()];
    for (const job of open) {
      if (!job.timedOut) {
        job.timedOut = true;
        this.#timedOut++;
      }
    }
    return open;
  }

  /** Upstream's statistics (§6.2) plus PARTIAL and timed-out counts. */
  statistics(): JobStatistics {
    return {
      total_image_sent: this.#jobs.size,
      total_image_in_progress: this.#jobs.size - this.#completed,
      total_image_processed: this.#completed,
      total_image_succeeded: this.#succeeded,
      total_image_failed: this.#failed + this.#partial,
      total_gb_processed: this.#bytes / GIB,
      total_pixels_processed: this.#pixels,
      total_image_partial: this.#partial,
      total_image_timed_out: this.#timedOut,
    };
  }

  /** The `job_status.json` object: image id → record, in registration order. */
  statusRecords(): Record<string, JobStatusRecord> {
    const out: Record<string, JobStatusRecord> = {};
    for (const [id, job] of this.#jobs) out[id] = job.record;
    return out;
  }

  #count(job: TrackedJob): void {
    this.#completed++;
    this.#bytes += job.record.size;
    this.#pixels += job.record.pixels;
    if (job.record.status === "SUCCESS") this.#succeeded++;
    else if (job.record.status === "FAILED") this.#failed++;
    else if (job.record.status === "PARTIAL") this.#partial++;
  }

  #uncount(job: TrackedJob): void {
    this.#completed--;
    this.#bytes -= job.record.size;
    this.#pixels -= job.record.pixels;
    if (job.record.status === "SUCCESS") this.#succeeded--;
    else if (job.record.status === "FAILED") this.#failed--;
    else if (job.record.status === "PARTIAL") this.#partial--;
  }
}
