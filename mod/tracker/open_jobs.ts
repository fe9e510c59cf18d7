/**
 * The jobs the tracker keeps in memory (those that can still change), packed into typed arrays:
 * 73 bytes a slot plus 4 to 8 bytes of hash index — 80 to 120 bytes a job with the growth
 * slack — instead of an object with nine string-valued fields (about 2.6 KB).
 *
 * - Each job is a slot: ids packed into 16 bytes each (`id_packing.ts`), the image URL, size,
 *   pixels and entry name as one interned descriptor index (`job_descriptors.ts`), the send and
 *   latency-start times as float64, the status, the statuses seen in this attempt and the flags
 *   in one 16-bit word. Ids that do not pack (not lowercase hex / UUID) are kept as strings on
 *   the side, and so are the completion time and duration of the few completed jobs that stay
 *   in memory (a waiting user's PARTIAL, until its retry).
 * - Lookup by image id is an open-addressing hash index over the slots (linear probing, at most
 *   70 % full, backward-shift deletion), so there is no per-job string key.
 * - Slots are linked in registration order (oldest first), for `job_status.json` and the web UI.
 * - Freed slots are reused; capacity grows by half when full and never shrinks, so memory
 *   follows the most jobs in memory at once, not the length of the run. The columns grow in
 *   place (`growable_array.ts`), so growing leaves no freed copies behind in the heap.
 *
 * @example
 * ```ts
 * import { OpenJobs, STATUS_CODE } from "./open_jobs.ts";
 * import { JobDescriptors } from "./job_descriptors.ts";
 * const jobs = new OpenJobs(new JobDescriptors());
 * const id = "0123456789abcdef0123456789abcdef:s3://b/a.tif";
 * const slot = jobs.add({ imageId: id, jobId: id.slice(0, 32), imageUrl: "s3://b/a.tif",
 *   messageId: "m-1", size: 1, pixels: null, submittedAt: 1000, name: "a.tif:m", awaited: false },
 *   1, 0, 0);
 * if (jobs.find(id) !== slot || jobs.status(slot) !== STATUS_CODE.STARTED) throw new Error();
 * jobs.remove(slot);
 * if (jobs.find(id) !== -1 || jobs.size !== 0) throw new Error("removed");
 * ```
 * @module
 */
import type { JobRegistration } from "../model/job_registration.ts";
import { JOB_STATUSES, type JobStatusValue } from "../model/job_record.ts";
import type { JobDescriptors } from "./job_descriptors.ts";
import { packedHex32Equals, packHex32, packUuid, unpackHex32, unpackUuid } from "./id_packing.ts";
import { hashString, type StringHash } from "./string_hash.ts";
import { growableArray, growArray } from "./growable_array.ts";

/**
 * The numeric code of each status (its index in `JOB_STATUSES`).
 *
 * @example
 * ```ts
 * import { STATUS_CODE } from "./open_jobs.ts";
 * if (STATUS_CODE.STARTED !== 0) throw new Error("STARTED is code 0");
 * ```
 */
export const STATUS_CODE: Readonly<Record<JobStatusValue, number>> = Object.freeze(
  Object.fromEntries(JOB_STATUSES.map((s, i) => [s, i])) as Record<JobStatusValue, number>,
);

/**
 * True for the code of a terminal status (SUCCESS, FAILED, PARTIAL).
 *
 * @example
 * ```ts
 * import { isTerminalCode, STATUS_CODE } from "./open_jobs.ts";
 * if (!isTerminalCode(STATUS_CODE.PARTIAL) || isTerminalCode(STATUS_CODE.IN_PROGRESS)) throw new Error();
 * ```
 */
export function isTerminalCode(code: number): boolean {
  return code === STATUS_CODE.SUCCESS || code === STATUS_CODE.FAILED ||
    code === STATUS_CODE.PARTIAL;
}

// Layout of the 16-bit state word.
const STATUS_MASK = 0b111;
const SEEN_SHIFT = 3; // 5 bits: statuses received in this attempt
const AWAITED = 1 << 8;
const TIMED_OUT = 1 << 9;
const JOB_ID_STRING = 1 << 10;
const MESSAGE_ID_STRING = 1 << 11;
const IMAGE_ID_STRING = 1 << 12;
const IN_USE = 1 << 13;
const MESSAGE_ID_UUID = 1 << 14;

/** Ids of a job that did not pack, kept as strings. */
interface Unpacked {
  jobId?: string;
  messageId?: string;
  imageId?: string;
}

const COLON = 58;
/** Most of the hash index that may be in use before it doubles. */
const MAX_LOAD = 0.7;

/** Packed in-memory jobs with lookup by image id and registration order. */
export class OpenJobs {
  #descriptors: JobDescriptors;
  #capacity = 0;
  #size = 0;
  #high = 0; // slots [0, high) have been used at least once
  #freeHead = -1;
  #head = -1;
  #tail = -1;
  // Per slot.
  #jobId = growableArray(Uint32Array, 0);
  #messageId = growableArray(Uint32Array, 0);
  #descriptor = growableArray(Uint32Array, 0);
  #hash = growableArray(Uint32Array, 0);
  #seq = growableArray(Uint32Array, 0);
  #worker = growableArray(Uint16Array, 0);
  #submittedAt = growableArray(Float64Array, 0);
  #startAt = growableArray(Float64Array, 0);
  /** Completion time and duration of completed jobs in memory (few: see the module doc). */
  #completion = new Map<number, { at: number; durationS: number }>();
  #state = growableArray(Uint16Array, 0);
  #attempt = growableArray(Uint8Array, 0);
  #prev = growableArray(Int32Array, 0);
  #next = growableArray(Int32Array, 0);
  // Hash index: slot + 1, 0 = empty.
  #index = growableArray(Int32Array, 0);
  #mask = 0;
  #unpacked = new Map<number, Unpacked>();
  #h: StringHash = { lo: 0, hi: 0 };

  constructor(descriptors: JobDescriptors, initialCapacity = 1024) {
    this.#descriptors = descriptors;
    this.#grow(Math.max(16, initialCapacity));
  }

  /** Jobs in memory. */
  get size(): number {
    return this.#size;
  }

  /** Bytes held by the packed arrays and the hash index (not the side strings). */
  get bytes(): number {
    return [
      this.#jobId,
      this.#messageId,
      this.#descriptor,
      this.#hash,
      this.#seq,
      this.#worker,
      this.#submittedAt,
      this.#startAt,
      this.#state,
      this.#attempt,
      this.#prev,
      this.#next,
      this.#index,
    ].reduce((sum, a) => sum + a.byteLength, 0);
  }

  /** The slot of the job with this image id, or -1. */
  find(imageId: string): number {
    const h = hashString(imageId, this.#h).lo;
    for (let i = h & this.#mask;; i = (i + 1) & this.#mask) {
      const entry = this.#index[i]!;
      if (entry === 0) return -1;
      const slot = entry - 1;
      if (this.#hash[slot] === h && this.#keyEquals(slot, imageId)) return slot;
    }
  }

  /**
   * Add a job from its registration (status STARTED, nothing seen); returns its slot. `seq` is
   * the tracker's registration number.
   */
  add(job: JobRegistration, attempt: number, workerIndex: number, seq: number): number {
    if (this.#freeHead < 0 && this.#high === this.#capacity) {
      this.#grow(Math.ceil(this.#capacity * 1.5));
    }
    let slot: number;
    if (this.#freeHead >= 0) {
      slot = this.#freeHead;
      this.#freeHead = this.#next[slot]!;
    } else slot = this.#high++;
    this.#seq[slot] = seq;
    this.#fill(slot, job, attempt, workerIndex);
    // Registration order: append at the tail.
    this.#prev[slot] = this.#tail;
    this.#next[slot] = -1;
    if (this.#tail >= 0) this.#next[this.#tail] = slot;
    else this.#head = slot;
    this.#tail = slot;
    this.#size++;
    if (this.#size > this.#index.length * MAX_LOAD) this.#rebuildIndex(this.#index.length * 2);
    else this.#insertIndex(slot);
    return slot;
  }

  /**
   * Start the job in `slot` afresh from a new registration of the same image id (a retry):
   * status STARTED, nothing seen, new times, ids, worker and flags; same place in the order.
   */
  restart(slot: number, job: JobRegistration, attempt: number, workerIndex: number): void {
    this.#fill(slot, job, attempt, workerIndex);
  }

  #fill(slot: number, job: JobRegistration, attempt: number, workerIndex: number): void {
    // A restarted job stays timed out (the completion wait gave up on the image id).
    let state = IN_USE | STATUS_CODE.STARTED |
      (this.#state[slot]! & IN_USE ? this.#state[slot]! & TIMED_OUT : 0);
    if (job.awaited) state |= AWAITED;
    const unpacked: Unpacked = {};
    const canonical = job.imageId.length === job.jobId.length + 1 + job.imageUrl.length &&
      job.imageId.charCodeAt(job.jobId.length) === COLON && job.imageId.startsWith(job.jobId) &&
      job.imageId.endsWith(job.imageUrl);
    if (!canonical) {
      state |= IMAGE_ID_STRING;
      unpacked.imageId = job.imageId;
    }
    if (!packHex32(job.jobId, this.#jobId, slot * 4)) {
      state |= JOB_ID_STRING;
      unpacked.jobId = job.jobId;
    }
    if (packUuid(job.messageId, this.#messageId, slot * 4)) state |= MESSAGE_ID_UUID;
    else if (packHex32(job.messageId, this.#messageId, slot * 4)) {
      // 32 hex characters without dashes: packed as is.
    } else {
      state |= MESSAGE_ID_STRING;
      unpacked.messageId = job.messageId;
    }
    if (state & (IMAGE_ID_STRING | JOB_ID_STRING | MESSAGE_ID_STRING)) {
      this.#unpacked.set(slot, unpacked);
    } else this.#unpacked.delete(slot);
    this.#state[slot] = state;
    this.#hash[slot] = hashString(job.imageId, this.#h).lo;
    this.#descriptor[slot] = this.#descriptors.intern(
      job.imageUrl,
      job.size,
      job.pixels,
      job.name,
    );
    this.#attempt[slot] = Math.min(255, attempt);
    if (!Number.isInteger(workerIndex) || workerIndex < 0 || workerIndex > 0xffff) {
      throw new RangeError(`worker index ${workerIndex} is outside 0..65535`);
    }
    this.#worker[slot] = workerIndex;
    this.#submittedAt[slot] = job.submittedAt;
    this.#startAt[slot] = Math.min(job.scheduledAt ?? job.submittedAt, job.submittedAt);
    this.#completion.delete(slot);
  }

  /** Remove the job in `slot` (its slot is reused). */
  remove(slot: number): void {
    this.#removeIndex(slot);
    const prev = this.#prev[slot]!;
    const next = this.#next[slot]!;
    if (prev >= 0) this.#next[prev] = next;
    else this.#head = next;
    if (next >= 0) this.#prev[next] = prev;
    else this.#tail = prev;
    this.#state[slot] = 0;
    this.#unpacked.delete(slot);
    this.#completion.delete(slot);
    this.#next[slot] = this.#freeHead;
    this.#freeHead = slot;
    this.#size--;
  }

  /** The oldest job's slot (first registered), or -1. */
  get first(): number {
    return this.#head;
  }

  /** The newest job's slot, or -1. */
  get last(): number {
    return this.#tail;
  }

  /** The slot registered after `slot`, or -1. */
  next(slot: number): number {
    return this.#next[slot]!;
  }

  /** The slot registered before `slot`, or -1. */
  prev(slot: number): number {
    return this.#prev[slot]!;
  }

  /** True while `slot` holds a job. */
  inUse(slot: number): boolean {
    return slot >= 0 && slot < this.#high && (this.#state[slot]! & IN_USE) !== 0;
  }

  /** The tracker's registration number of the job in `slot`. */
  seq(slot: number): number {
    return this.#seq[slot]!;
  }

  /** Status code (see {@linkcode STATUS_CODE}). */
  status(slot: number): number {
    return this.#state[slot]! & STATUS_MASK;
  }

  /** Set the status code. */
  setStatus(slot: number, code: number): void {
    this.#state[slot] = (this.#state[slot]! & ~STATUS_MASK) | code;
  }

  /** The statuses received in this attempt, as a 5-bit mask by code. */
  seenMask(slot: number): number {
    return (this.#state[slot]! >> SEEN_SHIFT) & 0b11111;
  }

  /** Record that this attempt received the status `code`. */
  addSeen(slot: number, code: number): void {
    this.#state[slot] = this.#state[slot]! | (1 << (SEEN_SHIFT + code));
  }

  /** A user waits for this job. */
  awaited(slot: number): boolean {
    return (this.#state[slot]! & AWAITED) !== 0;
  }

  /** The completion wait gave up on this job. */
  timedOut(slot: number): boolean {
    return (this.#state[slot]! & TIMED_OUT) !== 0;
  }

  /** Mark the job timed out. */
  setTimedOut(slot: number): void {
    this.#state[slot] = this.#state[slot]! | TIMED_OUT;
  }

  /** Which send of this image id the job follows. */
  attempt(slot: number): number {
    return this.#attempt[slot]!;
  }

  /** Worker that submitted it. */
  workerIndex(slot: number): number {
    return this.#worker[slot]!;
  }

  /** When the send began (ms since epoch). */
  submittedAt(slot: number): number {
    return this.#submittedAt[slot]!;
  }

  /** Start of the job's latency (ms since epoch). */
  startAt(slot: number): number {
    return this.#startAt[slot]!;
  }

  /** When the terminal status arrived (ms since epoch); NaN while open. */
  completedAt(slot: number): number {
    return this.#completion.get(slot)?.at ?? NaN;
  }

  /** `processing_duration` in seconds; NaN while open (null in the record). */
  duration(slot: number): number {
    return this.#completion.get(slot)?.durationS ?? NaN;
  }

  /** Record the terminal status's time and duration. */
  complete(slot: number, completedAt: number, durationS: number): void {
    this.#completion.set(slot, { at: completedAt, durationS });
  }

  /** The job's interned descriptor index. */
  descriptor(slot: number): number {
    return this.#descriptor[slot]!;
  }

  /** The job id. */
  jobId(slot: number): string {
    if (this.#state[slot]! & JOB_ID_STRING) return this.#unpacked.get(slot)!.jobId!;
    return unpackHex32(this.#jobId, slot * 4);
  }

  /** The SQS message id of the send. */
  messageId(slot: number): string {
    const state = this.#state[slot]!;
    if (state & MESSAGE_ID_STRING) return this.#unpacked.get(slot)!.messageId!;
    return state & MESSAGE_ID_UUID
      ? unpackUuid(this.#messageId, slot * 4)
      : unpackHex32(this.#messageId, slot * 4);
  }

  /** The image id (`<jobId>:<imageUrl>`). */
  imageId(slot: number): string {
    if (this.#state[slot]! & IMAGE_ID_STRING) return this.#unpacked.get(slot)!.imageId!;
    return `${this.jobId(slot)}:${this.#descriptors.url(this.#descriptor[slot]!)}`;
  }

  #keyEquals(slot: number, imageId: string): boolean {
    const state = this.#state[slot]!;
    if (state & IMAGE_ID_STRING) return this.#unpacked.get(slot)!.imageId === imageId;
    const url = this.#descriptors.url(this.#descriptor[slot]!);
    if (state & JOB_ID_STRING) {
      const jobId = this.#unpacked.get(slot)!.jobId!;
      return imageId.length === jobId.length + 1 + url.length &&
        imageId.charCodeAt(jobId.length) === COLON && imageId.startsWith(jobId) &&
        imageId.endsWith(url);
    }
    return imageId.length === 33 + url.length && imageId.charCodeAt(32) === COLON &&
      imageId.endsWith(url) && packedHex32Equals(this.#jobId, slot * 4, imageId.slice(0, 32));
  }

  #insertIndex(slot: number): void {
    let i = this.#hash[slot]! & this.#mask;
    while (this.#index[i] !== 0) i = (i + 1) & this.#mask;
    this.#index[i] = slot + 1;
  }

  #removeIndex(slot: number): void {
    const mask = this.#mask;
    let i = this.#hash[slot]! & mask;
    while (this.#index[i] !== slot + 1) i = (i + 1) & mask;
    // Backward-shift deletion: pull later entries of the probe run into the hole.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const entry = this.#index[j]!;
      if (entry === 0) break;
      const home = this.#hash[entry - 1]! & mask;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      this.#index[i] = entry;
      i = j;
    }
    this.#index[i] = 0;
  }

  #rebuildIndex(length: number): void {
    this.#index = growArray(this.#index, length);
    this.#index.fill(0);
    this.#mask = length - 1;
    for (let slot = 0; slot < this.#high; slot++) {
      if (this.#state[slot]! & IN_USE) this.#insertIndex(slot);
    }
  }

  #grow(capacity: number): void {
    this.#jobId = growArray(this.#jobId, capacity * 4);
    this.#messageId = growArray(this.#messageId, capacity * 4);
    this.#descriptor = growArray(this.#descriptor, capacity);
    this.#hash = growArray(this.#hash, capacity);
    this.#seq = growArray(this.#seq, capacity);
    this.#worker = growArray(this.#worker, capacity);
    this.#submittedAt = growArray(this.#submittedAt, capacity);
    this.#startAt = growArray(this.#startAt, capacity);
    this.#state = growArray(this.#state, capacity);
    this.#attempt = growArray(this.#attempt, capacity);
    this.#prev = growArray(this.#prev, capacity);
    this.#next = growArray(this.#next, capacity);
    this.#capacity = capacity;
    let indexLength = 16;
    while (indexLength * MAX_LOAD < this.#size + 1) indexLength *= 2;
    if (this.#index.length < indexLength) this.#rebuildIndex(indexLength);
  }
}
