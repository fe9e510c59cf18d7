/**
 * The job tracker (upstream-behaviour.md §6): every job this run submitted,
 * keyed by image id `<jobId>:<imageUrl>`, moved along the job state machine
 * (`job_state_machine.ts`) by status events, with upstream's statistics kept
 * incrementally (O(1) per event).
 *
 * - Status events can overtake the registration of their job (the user worker
 *   batches registrations); such events wait up to `graceMs` for it and are
 *   then counted as foreign.
 * - A terminal status is never overwritten; a duplicate status counts once;
 *   every refused change is counted by reason ({@linkcode StatusCounts}).
 * - A waiting user's PARTIAL retry registers the same image id again with a
 *   higher `attempt`: that starts a new attempt (the PARTIAL moves from
 *   processed to `total_image_retried`). Events that reach an awaited PARTIAL
 *   job before the retry's registration are held for up to `graceMs`: those
 *   received after the retry's send began belong to the retry and are applied
 *   to it; the rest are judged against the PARTIAL attempt.
 * - The invariants of `job_invariants.ts` hold after every call.
 *
 * @example
 * ```ts
 * import { JobTracker } from "./job_tracker.ts";
 * const tracker = new JobTracker();
 * tracker.register({ imageId: "j:s3://b/a.tif", jobId: "j", imageUrl: "s3://b/a.tif", messageId: "m",
 *   size: 1024, pixels: 4096, submittedAt: Date.now(), name: "a.tif:centerpoint", awaited: false }, 0);
 * tracker.update({ imageId: "j:s3://b/a.tif", jobId: "j", status: "SUCCESS", durationS: 3, receivedAt: Date.now() });
 * tracker.update({ imageId: "j:s3://b/a.tif", jobId: "j", status: "IN_PROGRESS", durationS: null, receivedAt: Date.now() });
 * const stats = tracker.statistics();
 * if (stats.total_image_succeeded !== 1 || tracker.counts().refused !== 1) throw new Error("not final");
 * ```
 * @module
 */
import type { JobRegistration, StatusEvent } from "../engine/protocol.ts";
import type { JobStatistics, JobStatisticsExtra } from "../output/run_report.ts";
import {
  formatStartTime,
  isJobStatus,
  type JobStatusRecord,
  type JobStatusValue,
  TERMINAL_STATUSES,
  type TrackedJob,
} from "./job_record.ts";
import { countsAsFailed } from "./job_outcome.ts";
import { decideTransition, REFUSAL_REASONS, type RefusalReason } from "./job_state_machine.ts";

/** What changed when an event was applied. */
export interface JobTransition {
  job: TrackedJob;
  /** The status before the event. */
  previous: JobStatusValue;
  /** True when the job (its current attempt) just became complete. */
  completedNow: boolean;
}

/** Counts of status messages (and registrations) that did not change a job. */
export interface StatusCounts {
  /** Events for jobs this run never registered (after the grace period). */
  foreign: number;
  /** Events with a status outside the five known ones. */
  unknownStatus: number;
  /** Events with a status the job had already received in its current attempt (counted once). */
  duplicates: number;
  /** Status changes the state machine refused, all reasons (`status_transitions_refused`). */
  refused: number;
  /** Refused status changes by reason. */
  refusedBy: Record<RefusalReason, number>;
  /** Registrations of an image id with no higher attempt than the one tracked (ignored). */
  duplicateRegistrations: number;
  /** Higher-attempt registrations of a job that had ended SUCCESS or FAILED (ignored). */
  refusedRetries: number;
}

const GIB = 1024 ** 3;

interface Book {
  /** Statuses received in the current attempt. */
  seen: Set<JobStatusValue>;
  /** Events held while a retry of this awaited PARTIAL job may be on its way. */
  held?: { events: StatusEvent[]; since: number };
}

/** Tracks jobs and their statuses. */
export class JobTracker {
  #jobs = new Map<string, TrackedJob>();
  #books = new Map<string, Book>();
  #pending = new Map<string, { events: StatusEvent[]; since: number }>();
  #graceMs: number;
  #onTransition: ((t: JobTransition) => void) | undefined;
  #counts: StatusCounts = {
    foreign: 0,
    unknownStatus: 0,
    duplicates: 0,
    refused: 0,
    refusedBy: Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0])) as Record<
      RefusalReason,
      number
    >,
    duplicateRegistrations: 0,
    refusedRetries: 0,
  };
  // Incremental statistics.
  #completed = 0;
  #succeeded = 0;
  #failed = 0;
  #partial = 0;
  #bytes = 0;
  #pixels = 0;
  #pixelsUnknown = 0;
  #timedOut = 0;
  #retried = 0;

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

  /**
   * Register a submitted job. A registration of a tracked image id starts a new attempt when
   * its `attempt` is higher than the tracked one (a PARTIAL retry), and is ignored (counted in
   * `duplicateRegistrations`) otherwise.
   */
  register(job: JobRegistration, workerIndex: number): void {
    const attempt = job.attempt ?? 1;
    const existing = this.#jobs.get(job.imageId);
    if (existing) {
      if (attempt <= existing.attempt) {
        this.#counts.duplicateRegistrations++;
        return;
      }
      const status = existing.record.status;
      if (existing.record.completed && status !== "PARTIAL") {
        this.#counts.refusedRetries++;
        return;
      }
      this.#startNewAttempt(existing, job, attempt, workerIndex);
      return;
    }
    this.#jobs.set(job.imageId, this.#newJob(job, attempt, workerIndex));
    this.#books.set(job.imageId, { seen: new Set() });
    const pending = this.#pending.get(job.imageId);
    if (pending) {
      this.#pending.delete(job.imageId);
      for (const event of pending.events) this.update(event);
    }
  }

  #newJob(job: JobRegistration, attempt: number, workerIndex: number): TrackedJob {
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
    return {
      record,
      name: job.name,
      submittedAt: job.submittedAt,
      startAt: Math.min(job.scheduledAt ?? job.submittedAt, job.submittedAt),
      attempt,
      workerIndex,
      awaited: job.awaited,
    };
  }

  #startNewAttempt(
    existing: TrackedJob,
    job: JobRegistration,
    attempt: number,
    workerIndex: number,
  ): void {
    const book = this.#books.get(job.imageId)!;
    const held = book.held?.events ?? [];
    delete book.held;
    // Events received before the retry's send began belong to the old attempt.
    const late = held.filter((e) => e.receivedAt >= job.submittedAt);
    for (const event of held) {
      if (event.receivedAt < job.submittedAt) this.#judge(job.imageId, existing, event);
    }
    if (existing.record.completed) {
      this.#uncount(existing);
      this.#retried++;
    }
    const fresh = this.#newJob(job, attempt, workerIndex);
    existing.record = fresh.record;
    existing.name = fresh.name;
    existing.submittedAt = fresh.submittedAt;
    existing.startAt = fresh.startAt;
    existing.attempt = attempt;
    existing.workerIndex = workerIndex;
    existing.awaited = fresh.awaited;
    delete existing.completedAt;
    book.seen = new Set();
    for (const event of late) this.update(event);
  }

  /**
   * Apply a status event: unknown jobs wait for their registration; the state machine decides
   * whether the status applies, is a duplicate, or is refused; a status outside the five known
   * ones changes nothing. Returns the transition when the status was applied.
   */
  update(event: StatusEvent): JobTransition | undefined {
    const job = this.#jobs.get(event.imageId);
    if (!job) {
      const pending = this.#pending.get(event.imageId);
      if (pending) pending.events.push(event);
      else this.#pending.set(event.imageId, { events: [event], since: event.receivedAt });
      return undefined;
    }
    if (!isJobStatus(event.status)) {
      this.#counts.unknownStatus++;
      return undefined;
    }
    const book = this.#books.get(event.imageId)!;
    // A waiting user resends a PARTIAL job: what arrives now may belong to that retry.
    if (job.awaited && job.record.status === "PARTIAL" && !job.timedOut) {
      if (book.held) book.held.events.push(event);
      else book.held = { events: [event], since: event.receivedAt };
      return undefined;
    }
    return this.#judge(event.imageId, job, event);
  }

  /** Apply the state machine's verdict on a (known-status) event for the job `imageId`. */
  #judge(imageId: string, job: TrackedJob, event: StatusEvent): JobTransition | undefined {
    const book = this.#books.get(imageId)!;
    const next = event.status as JobStatusValue;
    const record = job.record;
    const verdict = decideTransition(record.status, next, {
      seen: book.seen.has(next),
      timedOut: job.timedOut === true,
    });
    if (verdict === "duplicate") {
      this.#counts.duplicates++;
      return undefined;
    }
    if (verdict !== "apply") {
      this.#counts.refused++;
      this.#counts.refusedBy[verdict]++;
      return undefined;
    }
    book.seen.add(next);
    const previous = record.status;
    record.status = next;
    let completedNow = false;
    if (TERMINAL_STATUSES.has(next)) {
      record.completed = true;
      record.processing_duration = event.durationS ??
        (event.receivedAt - Math.floor(job.submittedAt / 1000) * 1000) / 1000;
      job.completedAt = completionTime(event, job.startAt);
      this.#count(job);
      completedNow = true;
    }
    const transition = { job, previous, completedNow };
    this.#onTransition?.(transition);
    return transition;
  }

  /**
   * Count pending events older than the grace period as foreign and drop them; judge held
   * events older than it against the job's PARTIAL attempt (no retry came). Returns the number
   * of foreign events.
   */
  expirePending(now: number = Date.now()): number {
    let expired = 0;
    for (const [id, pending] of this.#pending) {
      if (now - pending.since >= this.#graceMs) {
        this.#pending.delete(id);
        this.#counts.foreign += pending.events.length;
        expired += pending.events.length;
      }
    }
    for (const [id, book] of this.#books) {
      if (book.held && now - book.held.since >= this.#graceMs) {
        const events = book.held.events;
        delete book.held;
        const job = this.#jobs.get(id)!;
        for (const event of events) this.#judge(id, job, event);
      }
    }
    return expired;
  }

  /** Add foreign messages counted elsewhere (the monitor, in keep-foreign mode). */
  addForeign(count: number): void {
    this.#counts.foreign += count;
  }

  /** Counts of status events (and registrations) that changed nothing. */
  counts(): StatusCounts {
    return { ...this.#counts, refusedBy: { ...this.#counts.refusedBy } };
  }

  /** True when no job is in progress (vacuously true with none, as upstream). */
  isComplete(): boolean {
    return this.#completed + this.#timedOut === this.#jobs.size;
  }

  /** Jobs not yet complete (timed-out jobs included). */
  *openJobs(): IterableIterator<TrackedJob> {
    for (const job of this.#jobs.values()) if (!job.record.completed) yield job;
  }

  /**
   * Mark every job in progress as timed out (the completion wait ran out) and return the jobs
   * marked now. A timed-out job refuses every later status.
   */
  markOpenJobsTimedOut(): TrackedJob[] {
    const marked: TrackedJob[] = [];
    for (const job of this.openJobs()) {
      if (!job.timedOut) {
        job.timedOut = true;
        this.#timedOut++;
        marked.push(job);
      }
    }
    return marked;
  }

  /** Upstream's statistics (§6.2) plus PARTIAL, timed-out, retried and unknown-pixel counts. */
  statistics(): JobStatistics & JobStatisticsExtra {
    return {
      total_image_sent: this.#jobs.size,
      total_image_in_progress: this.#jobs.size - this.#completed - this.#timedOut,
      total_image_processed: this.#completed,
      total_image_succeeded: this.#succeeded,
      total_image_failed: this.#failed,
      total_gb_processed: this.#bytes / GIB,
      total_pixels_processed: this.#pixels,
      total_image_partial: this.#partial,
      total_image_timed_out: this.#timedOut,
      total_image_retried: this.#retried,
      jobs_pixels_unknown: this.#pixelsUnknown,
    };
  }

  /** The `job_status.json` object: image id → record, in registration order. */
  statusRecords(): Record<string, JobStatusRecord> {
    const out: Record<string, JobStatusRecord> = {};
    for (const [id, job] of this.#jobs) out[id] = job.record;
    return out;
  }

  #count(job: TrackedJob): void {
    this.#add(job, 1);
  }

  #uncount(job: TrackedJob): void {
    this.#add(job, -1);
  }

  #add(job: TrackedJob, sign: 1 | -1): void {
    const { status, size, pixels } = job.record;
    this.#completed += sign;
    this.#bytes += sign * size;
    if (pixels === null) this.#pixelsUnknown += sign;
    else this.#pixels += sign * pixels;
    if (countsAsFailed(status)) this.#failed += sign;
    else if (status === "SUCCESS") this.#succeeded += sign;
    if (status === "PARTIAL") this.#partial += sign;
  }
}

/**
 * When a job finished: SNS's publish time when known (the monitor's polling rhythm must not add
 * to job latency), bounded by the job's start and by when the status was received, so a clock
 * that disagrees with AWS's can never make a latency negative or later than observed.
 *
 * @example
 * ```ts
 * import { completionTime } from "./job_tracker.ts";
 * const event = { imageId: "j:i", jobId: "j", status: "SUCCESS", durationS: null, receivedAt: 2_000 };
 * if (completionTime({ ...event, publishedAt: 1_500 }, 1_000) !== 1_500) throw new Error("publish time");
 * if (completionTime({ ...event, publishedAt: 500 }, 1_000) !== 1_000) throw new Error("never before the start");
 * if (completionTime(event, 1_000) !== 2_000) throw new Error("else the receipt");
 * ```
 */
export function completionTime(event: StatusEvent, startAt: number): number {
  const published = event.publishedAt ?? event.receivedAt;
  return Math.max(startAt, Math.min(published, event.receivedAt));
}
