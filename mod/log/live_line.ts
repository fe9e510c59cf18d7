/**
 * One line at the bottom of a terminal that redraws in place (a status line or
 * a progress bar), as k6 draws its progress: carriage return, clear line, the
 * new text, never wider than the terminal. While it is shown on a terminal,
 * everything else printed through `console` (log lines, tables) is printed
 * above it: the line is cleared first and redrawn after, so the two never run
 * into each other. When the stream is not a terminal nothing is drawn in place.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { LiveLine, type TextStream } from "./live_line.ts";
 * let screen = "";
 * const stream: TextStream = { write: (t) => void (screen += t), isTerminal: () => true, columns: () => 20 };
 * const line = new LiveLine(stream, { patchConsole: false });
 * line.start(() => "Reading image headers: 3/10 (30%)");
 * line.commit();
 * assert.equal(screen.split("\r").at(-1), "\x1b[2KReading image head…\n");
 * ```
 * @module
 */

/** Where a {@linkcode LiveLine} draws. */
export interface TextStream {
  /** Write raw text (no newline added). */
  write(text: string): void;
  /** True when the stream is a terminal, so lines can be redrawn in place. */
  isTerminal(): boolean;
  /** The terminal's width in columns, or undefined when unknown. */
  columns(): number | undefined;
}

/** Options of a {@linkcode LiveLine}. */
export interface LiveLineOptions {
  /**
   * While the line is shown on a terminal, print `console.log`/`error`/`warn`/`info`/`debug`
   * output above it (default true).
   */
  patchConsole?: boolean;
}

/** Terminal width used when a terminal does not report one. */
export const FALLBACK_COLUMNS = 80;

const CLEAR = "\r\x1b[2K";
const encoder = new TextEncoder();

/**
 * The process's standard output as a {@linkcode TextStream}.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { stdoutStream } from "./live_line.ts";
 * assert.equal(typeof stdoutStream().isTerminal(), "boolean");
 * ```
 */
export function stdoutStream(): TextStream {
  return {
    write(text) {
      const bytes = encoder.encode(text);
      let written = 0;
      while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
    },
    isTerminal: () => Deno.stdout.isTerminal(),
    columns() {
      try {
        const columns = Deno.consoleSize().columns;
        return columns > 0 ? columns : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The width a line may take on `stream`: its columns (80 when a terminal does not say), or
 * `Infinity` when the stream is not a terminal.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { streamWidth } from "./live_line.ts";
 * assert.equal(streamWidth({ write() {}, isTerminal: () => false, columns: () => 100 }), Infinity);
 * assert.equal(streamWidth({ write() {}, isTerminal: () => true, columns: () => undefined }), 80);
 * ```
 */
export function streamWidth(stream: TextStream): number {
  if (!stream.isTerminal()) return Infinity;
  return stream.columns() ?? FALLBACK_COLUMNS;
}

/**
 * Cut `text` to `width` code points, ending with `…` when cut.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { clip } from "./live_line.ts";
 * assert.equal(clip("abcdef", 4), "abc…");
 * assert.equal(clip("abc", 4), "abc");
 * assert.equal(clip("abc", 0), "");
 * ```
 */
export function clip(text: string, width: number): string {
  if (!(width > 0)) return "";
  const chars = [...text];
  if (chars.length <= width) return text;
  return chars.slice(0, Math.max(0, width - 1)).join("") + (width >= 1 ? "…" : "");
}

type ConsoleMethod = "log" | "error" | "warn" | "info" | "debug";
const CONSOLE_METHODS: readonly ConsoleMethod[] = ["log", "error", "warn", "info", "debug"];

/** The line shown now (one at a time in a process). */
let shown: LiveLine | undefined;

/** A line redrawn in place at the bottom of a terminal. */
export class LiveLine {
  readonly #stream: TextStream;
  readonly #patch: boolean;
  #render: ((width: number) => string) | undefined;
  #drawn = false;
  #text = "";
  #suspended = 0;
  #restore: (() => void) | undefined;
  #onUnload = () => {
    if (this.#drawn) this.#stream.write("\n");
  };
  /** Called before something else is printed while the line is shown (see {@linkcode above}). */
  beforePrint: (() => void) | undefined;

  constructor(stream: TextStream = stdoutStream(), options: LiveLineOptions = {}) {
    this.#stream = stream;
    this.#patch = options.patchConsole ?? true;
  }

  /** True when the stream is a terminal (the line is drawn in place). */
  get isTerminal(): boolean {
    return this.#stream.isTerminal();
  }

  /** True between {@linkcode start} and {@linkcode commit} / {@linkcode stop}. */
  get active(): boolean {
    return this.#render !== undefined;
  }

  /** The widest text the line may show now (one less than the terminal, so it never wraps). */
  width(): number {
    const width = streamWidth(this.#stream);
    return width === Infinity ? width : Math.max(1, width - 1);
  }

  /**
   * Show `render(width)` and keep it at the bottom; `render` is called again on every redraw.
   * Does nothing visible when the stream is not a terminal. A line shown before is erased: one
   * line at a time, the newest.
   */
  start(render: (width: number) => string): void {
    if (shown && shown !== this) shown.stop();
    this.#render = render;
    if (!this.isTerminal) return;
    shown = this;
    if (this.#patch) this.#patchConsole();
    globalThis.addEventListener("unload", this.#onUnload);
    this.draw();
  }

  /** Render again and redraw in place (terminal only). */
  draw(): void {
    if (!this.#render || !this.isTerminal || this.#suspended > 0) return;
    this.#text = this.#safeRender();
    this.#stream.write(CLEAR + this.#text);
    this.#drawn = true;
  }

  /**
   * Run `print` (which writes whole lines to the same terminal) with the line cleared, then
   * redraw it below what was printed.
   */
  above(print: () => void): void {
    if (!this.#drawn || this.#suspended > 0) {
      this.#suspended++;
      try {
        print();
      } finally {
        this.#suspended--;
      }
      return;
    }
    this.beforePrint?.();
    if (!this.#drawn) return void this.above(print);
    this.#stream.write(CLEAR);
    this.#drawn = false;
    this.#suspended++;
    try {
      print();
    } finally {
      this.#suspended--;
      this.draw();
    }
  }

  /**
   * Leave `text` (default: a last render) as an ordinary line and stop redrawing. Returns what
   * was committed, or undefined when nothing was shown (not a terminal, or not started).
   */
  commit(text?: string): string | undefined {
    if (!this.#render) return undefined;
    const final = text === undefined ? this.#safeRender() : clip(text, this.width());
    const wasTerminal = shown === this;
    this.#end();
    if (!wasTerminal) return undefined;
    this.#stream.write(CLEAR + final + "\n");
    return final;
  }

  /** Erase the line and stop redrawing. */
  stop(): void {
    if (!this.#render) return;
    const drawn = this.#drawn;
    this.#end();
    if (drawn) this.#stream.write(CLEAR);
  }

  #end(): void {
    this.#render = undefined;
    this.#drawn = false;
    this.beforePrint = undefined;
    this.#restore?.();
    this.#restore = undefined;
    globalThis.removeEventListener("unload", this.#onUnload);
    if (shown === this) shown = undefined;
  }

  #safeRender(): string {
    try {
      return clip((this.#render?.(this.width()) ?? "").replace(/[\r\n]+/g, " "), this.width());
    } catch {
      // A failing render keeps the last text; the owner reports its own errors.
      return this.#text;
    }
  }

  #patchConsole(): void {
    const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();
    for (const method of CONSOLE_METHODS) {
      const original = console[method];
      originals.set(method, original);
      console[method] = (...args: unknown[]) => this.above(() => original.apply(console, args));
    }
    this.#restore = () => {
      for (const [method, original] of originals) console[method] = original;
    };
  }
}
