/**
 * Ctrl-C and SIGTERM handling for a run: the first signal asks the run to stop
 * cleanly (outputs are still written, exit 130); a second Ctrl-C exits at once.
 *
 * @example
 * ```ts
 * import { Interrupt } from "./interrupt.ts";
 * const interrupt = Interrupt.listen(() => console.error("stopping"));
 * interrupt.dispose();
 * ```
 * @module
 */
import { ExitCode } from "../exit_codes.ts";

/** Listens for SIGINT/SIGTERM while a run goes. */
export class Interrupt {
  #signal: Deno.Signal | undefined;
  #handlers: Array<[Deno.Signal, () => void]> = [];
  #abort = new AbortController();

  private constructor() {}

  /** Start listening; `onFirst` runs on the first signal. */
  static listen(onFirst: (signal: Deno.Signal) => void): Interrupt {
    const interrupt = new Interrupt();
    const signals: Deno.Signal[] = Deno.build.os === "windows"
      ? ["SIGINT", "SIGBREAK"]
      : ["SIGINT", "SIGTERM"];
    for (const name of signals) {
      const handler = () => {
        if (interrupt.#signal) {
          if (name === "SIGINT") {
            console.error("\nSecond Ctrl-C: exiting now.");
            Deno.exit(ExitCode.Interrupted);
          }
          return;
        }
        interrupt.#signal = name;
        interrupt.#abort.abort();
        onFirst(name);
      };
      Deno.addSignalListener(name, handler);
      interrupt.#handlers.push([name, handler]);
    }
    return interrupt;
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
