/**
 * The charts of the web UI and of the HTML report, one per kind of number, as
 * data: which timeline values each draws, in which unit, on which axis. Kept
 * apart so milliseconds of a send never share an axis with minutes of a job:
 * submissions/s, submission latency (ms), job latency (s or min), completions
 * by status, jobs in flight with the request-queue backlog on its own axis,
 * users, volume. Pure (no DOM): the server's tests check the data too.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { chartData, TIMELINE_CHARTS } from "./chart_specs.ts";
 * const spec = TIMELINE_CHARTS.find((c) => c.id === "chart-job-latency")!;
 * const point = { t: 60_000, jobP50: 90_000, jobP95: 150_000 };
 * const { data, unit } = chartData(spec, [point]);
 * if (unit !== "min" || data[1]![0] !== 1.5) throw new Error(`${unit} ${data[1]}`);
 * ```
 * @module
 */
import type { TimelinePoint } from "../wire.ts";

/** A timeline point as the charts read it (every field but the time may be missing). */
export type ChartPoint = Partial<TimelinePoint> & { t: number };

/** One line of a chart. */
export interface SeriesSpec {
  label: string;
  color: string;
  /** The value of a point, in the chart's base unit (before the unit's divisor); null: none. */
  value: (p: ChartPoint) => number | null | undefined;
  /** Drawn against the right-hand axis. */
  right?: boolean;
  /**
   * Join the line across points without a value. False draws a gap: the value
   * was not known then (e.g. a backlog that could not be read).
   */
  spanGaps: boolean;
  /** Show each point (for sparse values such as job latency). */
  points?: boolean;
  dash?: number[];
  /** Leave the line out when no point has a value for it (e.g. target rate outside the open model). */
  optional?: boolean;
}

/** The unit a chart's left axis shows and the divisor from base values to it. */
export interface ChartUnit {
  unit: string;
  divisor: number;
}

/** How a series is drawn (a {@linkcode SeriesSpec} without its value function). */
export type SeriesStyle = Omit<SeriesSpec, "value" | "optional">;

/** One chart over time. */
export interface ChartSpec {
  id: string;
  title: string;
  /** The left axis's unit (for a fixed unit), or how to choose it from the data. */
  unit: string | ((timeline: readonly ChartPoint[]) => ChartUnit);
  /** The right axis's unit, when a series uses it. */
  rightUnit?: string;
  series: SeriesSpec[];
}

const C = {
  blue: "#1f6feb",
  green: "#2e7d32",
  red: "#c62828",
  orange: "#ef6c00",
  purple: "#8e24aa",
  brown: "#6d4c41",
  slate: "#455a64",
  teal: "#00838f",
};

/**
 * Seconds for job latencies up to two minutes, minutes above.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { jobLatencyUnit } from "./chart_specs.ts";
 * if (jobLatencyUnit([{ t: 0, jobP95: 30_000 }]).unit !== "s") throw new Error("seconds");
 * ```
 */
export function jobLatencyUnit(timeline: readonly ChartPoint[]): ChartUnit {
  let max = 0;
  for (const p of timeline) max = Math.max(max, p.jobP95 ?? 0, p.jobP50 ?? 0);
  return max > 120_000 ? { unit: "min", divisor: 60_000 } : { unit: "s", divisor: 1000 };
}

/** The charts over time, in page order. */
export const TIMELINE_CHARTS: readonly ChartSpec[] = [
  {
    id: "chart-submissions",
    title: "Submissions/s (Submit Image)",
    unit: "per s",
    series: [
      { label: "Submissions/s", color: C.green, value: (p) => p.submitRps, spanGaps: true },
      { label: "Failures/s", color: C.red, value: (p) => p.submitFps, spanGaps: true },
      {
        label: "Target rate/s",
        color: C.orange,
        value: (p) => p.targetRate,
        spanGaps: true,
        dash: [6, 4],
        optional: true,
      },
    ],
  },
  {
    id: "chart-submit-latency",
    title: "Submission latency (Submit Image, ms, last 10 s)",
    unit: "ms",
    series: [
      { label: "Median", color: C.blue, value: (p) => p.submitP50, spanGaps: true },
      { label: "95%ile", color: C.orange, value: (p) => p.submitP95, spanGaps: true },
      { label: "99%ile", color: C.purple, value: (p) => p.submitP99, spanGaps: true },
    ],
  },
  {
    id: "chart-job-latency",
    title: "Job latency (send to final status, jobs ended in the last 60 s)",
    unit: jobLatencyUnit,
    series: [
      { label: "Median", color: C.blue, value: (p) => p.jobP50, spanGaps: true, points: true },
      { label: "95%ile", color: C.orange, value: (p) => p.jobP95, spanGaps: true, points: true },
    ],
  },
  {
    id: "chart-completions",
    title: "Jobs completed by status (cumulative)",
    unit: "jobs",
    series: [
      { label: "Succeeded", color: C.green, value: (p) => p.jobsSucceeded, spanGaps: true },
      { label: "Failed", color: C.red, value: (p) => p.jobsFailed, spanGaps: true },
      { label: "Partial", color: C.orange, value: (p) => p.jobsPartial, spanGaps: true },
      { label: "Timed out", color: C.brown, value: (p) => p.jobsTimedOut, spanGaps: true },
    ],
  },
  {
    id: "chart-backlog",
    title: "Jobs in flight and request-queue backlog",
    unit: "jobs",
    rightUnit: "messages",
    series: [
      { label: "Jobs in flight", color: C.blue, value: (p) => p.jobsInFlight, spanGaps: true },
      {
        label: "Queue backlog",
        color: C.slate,
        value: (p) => p.queueDepth,
        right: true,
        spanGaps: false,
      },
    ],
  },
  {
    id: "chart-users",
    title: "Users",
    unit: "users",
    series: [{ label: "Users", color: C.slate, value: (p) => p.users, spanGaps: true }],
  },
  {
    id: "chart-volume",
    title: "Volume processed",
    unit: "GB",
    rightUnit: "gigapixels",
    series: [
      { label: "GB", color: C.teal, value: (p) => p.gbProcessed, spanGaps: true },
      {
        label: "Gigapixels",
        color: C.purple,
        value: (p) => typeof p.pixelsProcessed === "number" ? p.pixelsProcessed / 1e9 : null,
        right: true,
        spanGaps: true,
      },
    ],
  },
];

/** A chart's data for uPlot: x (seconds since epoch) then one array per series shown. */
export interface ChartData {
  /** `[x, ...series]`, null where a series has no value. */
  data: (number | null)[][];
  /** The series drawn (optional ones without data are left out). */
  series: SeriesStyle[];
  unit: string;
  rightUnit: string | undefined;
  /** True when x is a time (seconds since epoch); false for e.g. capacity-search steps. */
  time: boolean;
  /** The x axis's label when it is not a time. */
  xLabel?: string;
}

/**
 * The data of `spec` over `timeline`, in the unit the chart shows.
 *
 * @example
 * ```ts
 * /// <reference lib="deno.ns" />
 * import { chartData, TIMELINE_CHARTS } from "./chart_specs.ts";
 * const backlog = TIMELINE_CHARTS.find((c) => c.id === "chart-backlog")!;
 * const { data } = chartData(backlog, [
 *   { t: 1000, jobsInFlight: 2, queueDepth: 5 },
 *   { t: 2000, jobsInFlight: 3, queueDepth: null },
 * ]);
 * if (data[2]![1] !== null) throw new Error("an unknown backlog is a gap, not 0");
 * ```
 */
export function chartData(spec: ChartSpec, timeline: readonly ChartPoint[]): ChartData {
  const { unit, divisor } = typeof spec.unit === "string"
    ? { unit: spec.unit, divisor: 1 }
    : spec.unit(timeline);
  const series = spec.series.filter((s) =>
    !s.optional || timeline.some((p) => typeof s.value(p) === "number")
  );
  const data: (number | null)[][] = [timeline.map((p) => p.t / 1000)];
  for (const s of series) {
    const d = s.right ? 1 : divisor;
    data.push(timeline.map((p) => {
      const v = s.value(p);
      return typeof v === "number" && Number.isFinite(v) ? v / d : null;
    }));
  }
  return { data, series, unit, rightUnit: spec.rightUnit, time: true };
}
