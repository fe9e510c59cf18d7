/**
 * The load-shape plug-in interface (k6-style): a shape says, for any moment of
 * the run, how many users should run (closed model) or how many jobs per
 * second to submit (open model), and when the run ends. Its plan is computed
 * apart from running it, so `--dry-run` can print it and tests can check it.
 *
 * @example
 * ```ts
 * import type { LoadShape } from "./load_shape.ts";
 * const fixed: LoadShape = {
 *   name: "fixed",
 *   durationS: 60,
 *   tick: (t) => (t < 60 ? { users: 5, spawnRate: 1 } : null),
 *   plan: () => [{ atS: 0, users: 5 }, { atS: 60, users: 0, note: "stop" }],
 * };
 * ```
 * @module
 */

/** What should run now. */
export type ShapeTarget =
  | { users: number; spawnRate: number }
  | { rate: number; users: number };

/** One row of a printed plan. */
export interface PlanRow {
  /** Seconds from the start. */
  atS: number;
  users?: number;
  /** Jobs per second (open model). */
  rate?: number;
  note?: string;
}

/** What the engine tells a shape about the run, every second (feedback shapes use it). */
export interface ShapeObservation {
  elapsedS: number;
  /**
   * Request-queue backlog (visible + in flight), when sampled; null when it could not be read
   * (unknown, not 0).
   */
  backlog: number | null | undefined;
  /** Jobs submitted so far. */
  jobsSent: number;
  /** Open model: submissions scheduled so far, and how many were dropped (no free user in time). */
  scheduled: number;
  dropped: number;
  /** Completed jobs so far and how many of them failed (FAILED, PARTIAL, timed out). */
  jobsDone: number;
  jobsFailed: number;
  /** Bytes and pixels of the completed jobs. */
  gbDone: number;
  pixelsDone: number;
  /** Histogram of end-to-end job latency so far (Locust buckets, ms → count). */
  latency: ReadonlyMap<number, number>;
}

/** A load shape. */
export interface LoadShape {
  /** Shape name as given to `--shape`. */
  readonly name: string;
  /** Length of the run in seconds; undefined when it runs until stopped. */
  readonly durationS: number | undefined;
  /** The target at `elapsedS` seconds into the run; null means stop. */
  tick(elapsedS: number): ShapeTarget | null;
  /** The plan as rows, for `--dry-run` and the report. */
  plan(): PlanRow[];
  /** Feedback from the running test, about every second (capacity search). */
  observe?(observation: ShapeObservation): void;
}
