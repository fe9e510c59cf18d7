/**
 * uPlot charts for the web UI and the HTML report, from the models of
 * `chart_specs.ts`. Axis widths are measured from the longest tick label, so
 * labels are never clipped; tick labels are short (`25k`, `1.5M`).
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { Chart } from "./charts.ts";
 * import { chartData, TIMELINE_CHARTS } from "./chart_specs.ts";
 * const chart = new Chart(document.getElementById("plot")!, chartData(TIMELINE_CHARTS[0]!, []));
 * chart.destroy();
 * ```
 * @module
 */
import uPlot from "uplot";
import type { ChartData } from "./chart_specs.ts";
import { compact, UNKNOWN } from "./format.ts";

/** The font of tick labels (uPlot's default), used to measure them. */
const AXIS_FONT = "12px system-ui, -apple-system, sans-serif";

let measurer: CanvasRenderingContext2D | null | undefined;

/** Width in CSS pixels of `text` in the axis font. */
function textWidth(text: string): number {
  if (measurer === undefined) measurer = document.createElement("canvas").getContext("2d");
  if (measurer === null) return text.length * 7;
  measurer.font = AXIS_FONT;
  return measurer.measureText(text).width;
}

/** uPlot axis size: ticks + gap + the widest tick label, so no label is clipped. */
function axisSize(self: uPlot, values: string[] | null, axisIdx: number): number {
  const axis = self.axes[axisIdx];
  const ticks = typeof axis?.ticks?.size === "number" ? axis.ticks.size : 10;
  const gap = typeof axis?.gap === "number" ? axis.gap : 5;
  let widest = 0;
  for (const v of values ?? []) widest = Math.max(widest, textWidth(v));
  return Math.ceil(ticks + gap + widest + 4);
}

function legendValue(_u: uPlot, v: number | null): string {
  return v === null || v === undefined ? UNKNOWN : compact(v);
}

/** The height of a chart's plot for the window's width. */
function plotHeight(): number {
  return globalThis.innerWidth <= 600 ? 180 : 220;
}

function options(model: ChartData, width: number): uPlot.Options {
  const series: uPlot.Series[] = [{}];
  for (const s of model.series) {
    series.push({
      label: s.label,
      stroke: s.color,
      width: 2,
      spanGaps: s.spanGaps,
      scale: s.right ? "right" : "y",
      value: legendValue,
      ...(s.dash ? { dash: s.dash } : {}),
      points: s.points ? { show: true, size: 5 } : { show: false },
    });
  }
  const left: uPlot.Axis = {
    scale: "y",
    label: model.unit,
    labelSize: 18,
    font: AXIS_FONT,
    size: axisSize,
    values: (_u, splits) => splits.map(compact),
  };
  const axes: uPlot.Axis[] = [
    model.time ? { font: AXIS_FONT } : {
      font: AXIS_FONT,
      label: model.xLabel ?? "",
      labelSize: 18,
      values: (_u, s) => s.map(String),
    },
    left,
  ];
  if (model.series.some((s) => s.right)) {
    axes.push({
      scale: "right",
      side: 1,
      label: model.rightUnit ?? "",
      labelSize: 18,
      font: AXIS_FONT,
      size: axisSize,
      grid: { show: false },
      values: (_u, splits) => splits.map(compact),
    });
  }
  return {
    width,
    height: plotHeight(),
    scales: {
      x: { time: model.time },
      y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] },
      right: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] },
    },
    axes,
    series,
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };
}

/**
 * One chart in `container`; `update` replaces its data (and rebuilds it when
 * its unit or series change), resizing follows the container.
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { Chart } from "./charts.ts";
 * const chart = new Chart(plotElement, model);
 * chart.update(newerModel);
 * ```
 */
export class Chart {
  #container: HTMLElement;
  #plot: uPlot;
  #model: ChartData;
  #observer: ResizeObserver | undefined;

  constructor(container: HTMLElement, model: ChartData) {
    this.#container = container;
    this.#model = model;
    this.#plot = this.#make(model);
    if (typeof ResizeObserver !== "undefined") {
      this.#observer = new ResizeObserver(() => this.resize());
      this.#observer.observe(container);
    }
  }

  /** Points drawn now. */
  get points(): number {
    return this.#model.data[0]?.length ?? 0;
  }

  /** The unit of the left axis now. */
  get unit(): string {
    return this.#model.unit;
  }

  /** Show `model` (rebuilt when its unit or series differ from the current ones). */
  update(model: ChartData): void {
    const same = model.unit === this.#model.unit &&
      model.series.length === this.#model.series.length &&
      model.series.every((s, i) => s.label === this.#model.series[i]?.label);
    this.#model = model;
    if (same) this.#plot.setData(model.data as uPlot.AlignedData);
    else {
      this.#plot.destroy();
      this.#plot = this.#make(model);
    }
  }

  /** Fit the container's width (and the window's height class). */
  resize(): void {
    const width = Math.floor(this.#container.clientWidth);
    if (width > 0) this.#plot.setSize({ width: Math.max(200, width), height: plotHeight() });
  }

  /** Remove the chart. */
  destroy(): void {
    this.#observer?.disconnect();
    this.#plot.destroy();
  }

  #make(model: ChartData): uPlot {
    const width = Math.max(200, Math.floor(this.#container.clientWidth) || 560);
    return new uPlot(options(model, width), model.data as uPlot.AlignedData, this.#container);
  }
}
