/**
 * Ctrl-C and SIGTERM as people send them. The first signal asks the run to stop
 * gracefully (users stop, outputs are written, exit 130). `deno task` passes the
 * terminal's SIGINT on to its child, which also receives it from the process
 * group: a repeat within {@linkcode DUPLICATE_WINDOW_MS} is the same Ctrl-C, not
 * a second one. A second Ctrl-C after that, once the tool has said how to force
 * an exit, exits at once. SIGTERM is always graceful (ECS and CI send it once,
 * then SIGKILL after their own timeout).
 *
 * @example
 * ```ts
 * import { Interrupt } from "./interrupt.ts";
 * const interrupt = Interrupt.listen(() => {});
 * if (interrupt.received !== undefined) throw new Error("no signal was sent");
 * interrupt.dispose();
 * ```
 * @module
 */
import { ExitCode } from "../exit_codes.ts";

let earlySignal: Deno.Signal | undefined;
let earlyHandlers: Array<[Deno.Signal, () => void]> = [];

/**
 * Catch SIGINT/SIGTERM from the very start of a command that runs load, before its code has
 * loaded, so that a signal in the first second is a graceful stop too (not exit 143). The first
 * {@linkcode Interrupt.listen} takes it over.
 *
 * @example
 * ```ts
 * import { installEarlySignals, takeEarlySignal } from "./interrupt.ts";
 * installEarlySignals();
 * if (takeEarlySignal() !== undefined) throw new Error("no signal was sent");
 * ```
 */
export function installEarlySignals(): void {
  if (earlyHandlers.length || Deno.build.os === "windows") return;
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    const handler = () => (earlySignal ??= name);
    Deno.addSignalListener(name, handler);
    earlyHandlers.push([name, handler]);
  }
}

/** The signal caught before a run listened, if any; stops catching early signals. */
export function takeEarlySignal(): Deno.Signal | undefined {
  for (const [name, handler] of earlyHandlers) Deno.removeSignalListener(name, handler);
  earlyHandlers = [];
  const signal = earlySignal;
  earlySignal = undefined;
  return signal;
}

/** A repeat of the first signal within this many milliseconds is the same keypress. */
export const DUPLICATE_WINDOW_MS = 1_000;

/** Options of {@linkcode Interrupt.listen}. */
export interface InterruptOptions {
  /** Where the "press Ctrl-C again" hint goes (default: standard error). */
  say?: (line: string) => void;
  /** Exit at once on a real second Ctrl-C (default: `Deno.exit(130)`). */
  forceExit?: () => void;
  /** The clock, in milliseconds (default `performance.now`). */
  now?: () => number;
}

/** Listens for SIGINT/SIGTERM while a run goes. */
export class Interrupt {
  #signal: Deno.Signal | undefined;
  #firstAt = 0;
  #handlers: Array<[Deno.Signal, () => void]> = [];
  #abort = new AbortController();
  #options: Required<InterruptOptions>;

  private constructor(options: InterruptOptions) {
    this.#options = {
      say: options.say ?? ((line) => console.error(line)),
      forceExit: options.forceExit ?? (() => Deno.exit(ExitCode.Interrupted)),
      now: options.now ?? (() => performance.now()),
    };
  }

  /** Start listening; `onFirst` runs once, on the first signal. */
  static listen(
    onFirst: (signal: Deno.Signal) => void,
    options: InterruptOptions = {},
  ): Interrupt {
    const interrupt = new Interrupt(options);
    const signals: Deno.Signal[] = Deno.build.os === "windows"
      ? ["SIGINT", "SIGBREAK"]
      : ["SIGINT", "SIGTERM"];
    for (const name of signals) {
      const handler = () => interrupt.deliver(name, onFirst);
      Deno.addSignalListener(name, handler);
      interrupt.#handlers.push([name, handler]);
    }
    // A signal that came while the program was still loading is this run's first one.
    const early = takeEarlySignal();
    if (early !== undefined) queueMicrotask(() => interrupt.deliver(early, onFirst));
    return interrupt;
  }

  /**
   * Handle one delivered signal (what the signal listener calls; public so the
   * rules can be tested without sending signals).
   *
   * @example
   * ```ts
   * import { Interrupt } from "./interrupt.ts";
   * let t = 0, stops = 0, exits = 0;
   * const interrupt = Interrupt.listen(() => {}, { now: () => t, say: () => {}, forceExit: () => exits++ });
   * interrupt.deliver("SIGINT", () => stops++);
   * interrupt.deliver("SIGINT", () => stops++); // deno task's duplicate: ignored
   * t = 5_000;
   * interrupt.deliver("SIGINT", () => stops++); // a real second Ctrl-C
   * interrupt.dispose();
   * if (stops !== 1 || exits !== 1) throw new Error("one stop, then one forced exit");
   * ```
   */
  deliver(name: Deno.Signal, onFirst: (signal: Deno.Signal) => void): void {
    const now = this.#options.now();
    if (this.#signal === undefined) {
      this.#signal = name;
      this.#firstAt = now;
      this.#abort.abort();
      onFirst(name);
      if (name === "SIGINT") {
        this.#options.say("Stopping gracefully: press Ctrl-C again to exit at once.");
      }
      return;
    }
    // SIGTERM is always graceful; a repeat within the window is the same keypress.
    if (name !== "SIGINT" || now - this.#firstAt < DUPLICATE_WINDOW_MS) return;
    this.#options.say("Second Ctrl-C: exiting now.");
    this.#options.forceExit();
  }

  /** The signal that arrived, if any. */
  get received(): Deno.Signal | undefined {
    return this.#signal;
  }

  /** Aborted when a signal arrives. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Stop listening. */
  dispose(): void {
    for (const [name, handler] of this.#handlers) Deno.removeSignalListener(name, handler);
    this.#handlers = [];
  }
}
