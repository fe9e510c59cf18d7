/**
 * Keep console drawing from stopping a run: a failure to render or print a
 * table or the status line is caught, reported once, and the run goes on.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { ConsoleGuard } from "./console_guard.ts";
 * const reports: string[] = [];
 * const guard = new ConsoleGuard((message) => reports.push(message));
 * guard.run("print the stats table", () => { throw new Error("Broken pipe"); });
 * guard.run("print the stats table", () => { throw new Error("Broken pipe"); });
 * assert.equal(guard.run("add", () => 1 + 1), 2);
 * assert.equal(reports.length, 1);
 * assert.match(reports[0]!, /could not print the stats table: Broken pipe/);
 * ```
 * @module
 */

/** Catches console errors; reports the first one. */
export class ConsoleGuard {
  readonly #report: (message: string) => void;
  #failures = 0;

  /** `report` gets the first failure's message (default `console.error`). */
  constructor(report: (message: string) => void = (message) => console.error(message)) {
    this.#report = report;
  }

  /** How many failures were caught. */
  get failures(): number {
    return this.#failures;
  }

  /** Run `fn`; on an error, report it (the first time only) and return undefined. */
  run<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (this.#failures++ === 0) {
        try {
          this.#report(
            `console: could not ${what}: ${
              error instanceof Error ? error.message : String(error)
            }. The run goes on; later console errors are not shown.`,
          );
        } catch {
          // Nowhere left to report to: the run still goes on.
        }
      }
      return undefined;
    }
  }
}
