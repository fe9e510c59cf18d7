/**
 * The job tracker (docs/compatibility.md#job-record): every job this run submitted,
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
 * Memory does not grow with the run (issue 18):
 *
 * - Only jobs that can still change are in memory, packed (`open_jobs.ts`, about 100 bytes a
 *   job): open jobs, and awaited PARTIAL jobs that a retry may still reopen (attempt below
 *   `maxAttempts`). A job that finished for good is appended to the journal
 *   (`job_journal.ts`: a JSON Lines file in the log folder for runs) and dropped from memory.
 * - A finished job's fingerprint stays in a bounded index (`finished_index.ts`, at least
 *   `finishedRetentionMs`, 10 minutes by default), so that a late status or registration for
 *   it is judged as before (a duplicate, a refused change); a status for a job finished longer
 *   ago than that is counted as foreign.
 * - `job_status.json` is written from a {@linkcode JobTracker.snapshot} record by record
 *   (finished jobs from the journal, open ones from memory); the web UI pages through
 *   {@linkcode JobTracker.query}.
 *
 * With the default {@linkcode MemoryJobJournal}, finished jobs stay in memory and
 * {@linkcode JobTracker.get} finds them; with a file journal `get` finds only jobs in memory.
 * Records come in journal order (the order jobs finished), then the jobs in memory in
 * registration order.
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
import type { JobRegistration } from "../model/job_registration.ts";
import type { StatusEvent } from "../model/status_event.ts";
import type { JobStatistics, JobStatisticsExtra } from "../model/run_report.ts";
import { formatStartTime } from "../log/local_time.ts";
import {
  isJobStatus,
  JOB_STATUSES,
  type JobStatusRecord,
  type JobStatusValue,
  type TrackedJob,
} from "../model/job_record.ts";
import { countsAsFailed } from "./job_outcome.ts";
import { decideTransition, REFUSAL_REASONS, type RefusalReason } from "./job_state_machine.ts";
import { JobDescriptors } from "./job_descriptors.ts";
import { isTerminalCode, OpenJobs, STATUS_CODE } from "./open_jobs.ts";
import { FinishedIndex } from "./finished_index.ts";
import { type JobJournal, MemoryJobJournal } from "./job_journal.ts";
import { JobStatusSnapshot } from "./job_status_snapshot.ts";
import { type JobRecordPage, type JobRecordQuery, queryJobRecords } from "./job_query.ts";
import { parseJournalLine } from "./journal_line.ts";

/** What changed when an event was applied. */
export interface JobTransition {
  /** The job after the change (a copy: changing it changes nothing). */
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
  /**
   * Higher-attempt registrations of a job that had ended SUCCESS or FAILED, or PARTIAL with no
   * attempt left (ignored).
   */
  refusedRetries: number;
}

/** Options of a {@linkcode JobTracker}. */
export interface JobTrackerOptions {
  /** How long events wait for their job's registration, or for a retry (ms, default 10,000). */
  graceMs?: number;
  /** Called for every applied status change. */
  onTransition?: (t: JobTransition) => void;
  /** Where finished jobs go (default: a {@linkcode MemoryJobJournal}). */
  journal?: JobJournal;
  /** Least time a finished job's fingerprint is kept to judge late events (ms, default 10 min). */
  finishedRetentionMs?: number;
  /**
   * Sends per image id a waiting user makes while the result is PARTIAL (default 3, as
   * `MAX_ATTEMPTS` in mod/users/model_runner_user.ts): a PARTIAL of a lower attempt stays in
   * memory for its retry.
   */
  maxAttempts?: number;
}

const GIB = 1024 ** 3;

// The finished index's state word: status code, statuses seen, attempt.
const encodeFinished = (status: number, seen: number, attempt: number) =>
  status | (seen << 3) | (attempt << 8);
const finishedStatus = (state: number) => state & 0b111;
const finishedSeen = (state: number) => (state >> 3) & 0b11111;
const finishedAttempt = (state: number) => (state >> 8) & 0xff;

interface Held {
  events: StatusEvent[];
  since: number;
}

/** Tracks jobs and their statuses. */
export class JobTracker {
  #descriptors = new JobDescriptors();
  #open = new OpenJobs(this.#descriptors);
  #finished: FinishedIndex;
  #journal: JobJournal;
  #pending = new Map<string, Held>();
  /** Events held while a retry of an awaited PARTIAL job may be on its way, by image id. */
  #held = new Map<string, Held>();
  #graceMs: number;
  #maxAttempts: number;
  #onTransition: ((t: JobTransition) => void) | undefined;
  #journalError: Error | undefined;
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
  #sent = 0;
  #seq = 0;
  #completed = 0;
  #succeeded = 0;
  #failed = 0;
  #partial = 0;
  #bytes = 0;
  #pixels = 0;
  #pixelsUnknown = 0;
  #timedOut = 0;
  #retried = 0;
  /** Jobs by current status code. */
  #byStatus = [0, 0, 0, 0, 0];
  // Cache of the last formatted start_time (one format per second, not per job).
  #startSecond = NaN;
  #startText = "";

  /** `onTransition` is called for every applied status change. */
  constructor(options: JobTrackerOptions = {}) {
    this.#graceMs = options.graceMs ?? 10_000;
    this.#onTransition = options.onTransition;
    this.#journal = options.journal ?? new MemoryJobJournal();
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#finished = new FinishedIndex(
      options.finishedRetentionMs === undefined ? {} : { retentionMs: options.finishedRetentionMs },
    );
  }

  /** Number of tracked jobs (every image id registered, in memory or in the journal). */
  get size(): number {
    return this.#sent;
  }

  /** Jobs in memory now (open, or PARTIAL awaiting a retry). */
  get inMemory(): number {
    return this.#open.size;
  }

  /** The journal finished jobs go to. */
  get journal(): JobJournal {
    return this.#journal;
  }

  /**
   * Bytes of tracker memory that hold jobs: the packed in-memory jobs and the finished
   * fingerprints (not the held and pending events, which last at most `graceMs`).
   */
  get memoryBytes(): number {
    return this.#open.bytes + this.#finished.bytes;
  }

  /**
   * The tracked job with this image id (a copy): a job in memory, or a finished one when the
   * journal keeps them in memory (not with a file journal).
   */
  get(imageId: string): TrackedJob | undefined {
    const slot = this.#open.find(imageId);
    if (slot >= 0) return this.#view(slot);
    return this.#journal.get(imageId);
  }

  /**
   * Register a submitted job. A registration of a tracked image id starts a new attempt when
   * its `attempt` is higher than the tracked one (a PARTIAL retry), and is ignored (counted in
   * `duplicateRegistrations`) otherwise.
   */
  register(job: JobRegistration, workerIndex: number): void {
    const attempt = job.attempt ?? 1;
    const slot = this.#open.find(job.imageId);
    if (slot >= 0) {
      if (attempt <= this.#open.attempt(slot)) {
        this.#counts.duplicateRegistrations++;
        return;
      }
      const status = this.#open.status(slot);
      if (isTerminalCode(status) && status !== STATUS_CODE.PARTIAL) {
        this.#counts.refusedRetries++;
        return;
      }
      this.#startNewAttempt(slot, job, attempt, workerIndex);
      return;
    }
    const finished = this.#finished.find(job.imageId);
    if (finished >= 0) {
      // Finished for good: written out, never reopened.
      if (attempt <= finishedAttempt(finished)) this.#counts.duplicateRegistrations++;
      else this.#counts.refusedRetries++;
      return;
    }
    this.#open.add(job, attempt, workerIndex, this.#seq++);
    this.#sent++;
    this.#byStatus[STATUS_CODE.STARTED]!++;
    const pending = this.#pending.get(job.imageId);
    if (pending) {
      this.#pending.delete(job.imageId);
      for (const event of pending.events) this.update(event);
    }
  }

  #startNewAttempt(
    slot: number,
    job: JobRegistration,
    attempt: number,
    workerIndex: number,
  ): void {
    const held = this.#held.get(job.imageId)?.events ?? [];
    this.#held.delete(job.imageId);
    // Events received before the retry's send began belong to the old attempt.
    const late = held.filter((e) => e.receivedAt >= job.submittedAt);
    for (const event of held) {
      if (event.receivedAt < job.submittedAt) this.#judge(slot, event);
    }
    if (isTerminalCode(this.#open.status(slot))) {
      this.#add(slot, -1);
      this.#retried++;
    }
    this.#byStatus[this.#open.status(slot)]!--;
    this.#byStatus[STATUS_CODE.STARTED]!++;
    this.#open.restart(slot, job, attempt, workerIndex);
    for (const event of late) this.update(event);
  }

  /**
   * Apply a status event: unknown jobs wait for their registration; the state machine decides
   * whether the status applies, is a duplicate, or is refused; a status outside the five known
   * ones changes nothing. Returns the transition when the status was applied.
   */
  update(event: StatusEvent): JobTransition | undefined {
    const slot = this.#open.find(event.imageId);
    if (slot < 0) {
      const finished = this.#finished.find(event.imageId);
      if (finished >= 0) {
        if (!isJobStatus(event.status)) this.#counts.unknownStatus++;
        else this.#judgeFinished(finished, event.status);
        return undefined;
      }
      const pending = this.#pending.get(event.imageId);
      if (pending) pending.events.push(event);
      else this.#pending.set(event.imageId, { events: [event], since: event.receivedAt });
      return undefined;
    }
    if (!isJobStatus(event.status)) {
      this.#counts.unknownStatus++;
      return undefined;
    }
    // A waiting user resends a PARTIAL job: what arrives now may belong to that retry.
    if (
      this.#open.awaited(slot) && this.#open.status(slot) === STATUS_CODE.PARTIAL &&
      !this.#open.timedOut(slot)
    ) {
      const held = this.#held.get(event.imageId);
      if (held) held.events.push(event);
      else this.#held.set(event.imageId, { events: [event], since: event.receivedAt });
      return undefined;
    }
    return this.#judge(slot, event);
  }

  /** Count the verdict on a status for a job that is finished and out of memory. */
  #judgeFinished(state: number, next: JobStatusValue): void {
    const verdict = decideTransition(JOB_STATUSES[finishedStatus(state)]!, next, {
      seen: (finishedSeen(state) & (1 << STATUS_CODE[next])) !== 0,
      timedOut: false,
    });
    this.#countVerdict(verdict);
  }

  #countVerdict(verdict: ReturnType<typeof decideTransition>): void {
    if (verdict === "duplicate") this.#counts.duplicates++;
    else if (verdict !== "apply") {
      this.#counts.refused++;
      this.#counts.refusedBy[verdict]++;
    }
  }

  /** Apply the state machine's verdict on a (known-status) event for the job in `slot`. */
  #judge(slot: number, event: StatusEvent): JobTransition | undefined {
    const open = this.#open;
    const next = event.status as JobStatusValue;
    const code = STATUS_CODE[next];
    const previousCode = open.status(slot);
    const previous = JOB_STATUSES[previousCode]!;
    const verdict = decideTransition(previous, next, {
      seen: (open.seenMask(slot) & (1 << code)) !== 0,
      timedOut: open.timedOut(slot),
    });
    if (verdict !== "apply") {
      this.#countVerdict(verdict);
      return undefined;
    }
    open.addSeen(slot, code);
    open.setStatus(slot, code);
    this.#byStatus[previousCode]!--;
    this.#byStatus[code]!++;
    let completedNow = false;
    if (isTerminalCode(code)) {
      const submittedAt = open.submittedAt(slot);
      open.complete(
        slot,
        completionTime(event, open.startAt(slot)),
        event.durationS ?? (event.receivedAt - Math.floor(submittedAt / 1000) * 1000) / 1000,
      );
      this.#add(slot, 1);
      completedNow = true;
    }
    const job = this.#view(slot);
    if (completedNow && !this.#mayRetry(slot)) this.#moveOut(slot, job, event.receivedAt);
    const transition = { job, previous, completedNow };
    this.#onTransition?.(transition);
    return transition;
  }

  /** True for an awaited PARTIAL a retry may still reopen. */
  #mayRetry(slot: number): boolean {
    return this.#open.awaited(slot) && this.#open.status(slot) === STATUS_CODE.PARTIAL &&
      this.#open.attempt(slot) < this.#maxAttempts;
  }

  /** Write a job that finished for good to the journal and drop it from memory. */
  #moveOut(slot: number, job: TrackedJob, now: number): void {
    const open = this.#open;
    const imageId = open.imageId(slot);
    this.#journal.append(
      { imageId, record: job.record, attempt: job.attempt, seq: open.seq(slot) },
      job,
    );
    this.#finished.add(
      imageId,
      encodeFinished(open.status(slot), open.seenMask(slot), open.attempt(slot)),
      now,
    );
    this.#held.delete(imageId);
    open.remove(slot);
  }

  /**
   * Count pending events older than the grace period as foreign and drop them; judge held
   * events older than it against the job's PARTIAL attempt (no retry came); forget finished
   * jobs older than the retention; write the journal's buffer. Returns the number of foreign
   * events.
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
    for (const [id, held] of this.#held) {
      if (now - held.since >= this.#graceMs) {
        this.#held.delete(id);
        const slot = this.#open.find(id);
        if (slot < 0) continue;
        for (const event of held.events) this.#judge(slot, event);
      }
    }
    this.#finished.expire(now);
    try {
      this.#journal.flush();
    } catch (error) {
      // Reported by the next job_status.json write (snapshot()), which fails the run.
      this.#journalError ??= error as Error;
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

  /** Jobs by their current status (every tracked job once). */
  statusCounts(): Record<JobStatusValue, number> {
    return Object.fromEntries(JOB_STATUSES.map((s, i) => [s, this.#byStatus[i]!])) as Record<
      JobStatusValue,
      number
    >;
  }

  /** True when no job is in progress (vacuously true with none, as upstream). */
  isComplete(): boolean {
    return this.#completed + this.#timedOut === this.#sent;
  }

  /** Jobs not yet complete (timed-out jobs included), as copies. */
  *openJobs(): IterableIterator<TrackedJob> {
    for (let slot = this.#open.first; slot >= 0; slot = this.#open.next(slot)) {
      if (!isTerminalCode(this.#open.status(slot))) yield this.#view(slot);
    }
  }

  /**
   * Mark every job in progress as timed out (the completion wait ran out) and return the jobs
   * marked now (copies, made as they are iterated: iterate before the tracker changes again).
   * A timed-out job refuses every later status.
   */
  markOpenJobsTimedOut(): { readonly length: number; [Symbol.iterator](): Iterator<TrackedJob> } {
    const open = this.#open;
    const marked: number[] = [];
    for (let slot = open.first; slot >= 0; slot = open.next(slot)) {
      if (!isTerminalCode(open.status(slot)) && !open.timedOut(slot)) {
        open.setTimedOut(slot);
        this.#timedOut++;
        marked.push(slot);
      }
    }
    const view = (slot: number) => this.#view(slot);
    return {
      length: marked.length,
      *[Symbol.iterator]() {
        for (const slot of marked) yield view(slot);
      },
    };
  }

  /** Upstream's statistics (§6.2) plus PARTIAL, timed-out, retried and unknown-pixel counts. */
  statistics(): JobStatistics & JobStatisticsExtra {
    return {
      total_image_sent: this.#sent,
      total_image_in_progress: this.#sent - this.#completed - this.#timedOut,
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

  /**
   * A consistent view of every record now, for writing `job_status.json` record by record
   * while the run goes on (see `job_status_snapshot.ts`), with the statistics of the same
   * instant. Throws the journal's write error, if any.
   */
  snapshot(): JobStatusSnapshot {
    const error = this.#journalError ?? this.#journal.error;
    if (error) throw error;
    this.#journal.flush();
    return new JobStatusSnapshot({
      journal: this.#journal,
      open: this.#open,
      record: (slot) => this.#record(slot),
      stats: this.statistics(),
    });
  }

  /**
   * One page of records for the web UI's Jobs tab, filtered by status and text (see
   * `job_query.ts`); reads finished jobs from the journal.
   */
  query(query: JobRecordQuery = {}): Promise<JobRecordPage> {
    return queryJobRecords({
      journal: this.#journal,
      open: this.#open,
      record: (slot) => this.#record(slot),
      total: this.#sent,
      byStatus: this.#byStatus,
    }, query);
  }

  /**
   * The `job_status.json` object: image id → record (journal order, then the jobs in memory in
   * registration order). Builds every record at once: memory proportional to the run — for
   * tests and small runs; stream a {@linkcode JobTracker.snapshot} instead.
   */
  statusRecords(): Record<string, JobStatusRecord> {
    const out: Record<string, JobStatusRecord> = {};
    for (const line of this.#journal.linesSync(0, this.#journal.count)) {
      const entry = parseJournalLine(line);
      out[entry.imageId] = entry.record;
    }
    for (let slot = this.#open.first; slot >= 0; slot = this.#open.next(slot)) {
      out[this.#open.imageId(slot)] = this.#record(slot);
    }
    return out;
  }

  #record(slot: number): JobStatusRecord {
    const open = this.#open;
    const d = open.descriptor(slot);
    const duration = open.duration(slot);
    const status = open.status(slot);
    return {
      job_id: open.jobId(slot),
      image_url: this.#descriptors.url(d),
      message_id: open.messageId(slot),
      status: JOB_STATUSES[status]!,
      completed: isTerminalCode(status),
      size: this.#descriptors.imageSize(d),
      pixels: this.#descriptors.pixels(d),
      start_time: this.#startTime(open.submittedAt(slot)),
      processing_duration: Number.isNaN(duration) ? null : duration,
    };
  }

  #startTime(submittedAt: number): string {
    const second = Math.floor(submittedAt / 1000);
    if (second !== this.#startSecond) {
      this.#startSecond = second;
      this.#startText = formatStartTime(new Date(submittedAt));
    }
    return this.#startText;
  }

  #view(slot: number): TrackedJob {
    const open = this.#open;
    const job: TrackedJob = {
      record: this.#record(slot),
      name: this.#descriptors.name(open.descriptor(slot)),
      submittedAt: open.submittedAt(slot),
      startAt: open.startAt(slot),
      attempt: open.attempt(slot),
      workerIndex: open.workerIndex(slot),
      awaited: open.awaited(slot),
    };
    const completedAt = open.completedAt(slot);
    if (!Number.isNaN(completedAt)) job.completedAt = completedAt;
    if (open.timedOut(slot)) job.timedOut = true;
    return job;
  }

  #add(slot: number, sign: 1 | -1): void {
    const d = this.#open.descriptor(slot);
    const size = this.#descriptors.imageSize(d);
    const pixels = this.#descriptors.pixels(d);
    const status = JOB_STATUSES[this.#open.status(slot)]!;
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
