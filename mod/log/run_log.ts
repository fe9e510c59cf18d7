/**
 * The run log: every message goes to the console (stderr) and, once a file is
 * attached, to `<log-dir>/job_log.log` in upstream's format
 * `%(asctime)s - %(name)s - %(levelname)s - %(message)s`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { RunLog } from "./run_log.ts";
 * const lines: string[] = [];
 * const log = new RunLog({ verbose: false, console: (line) => lines.push(line) });
 * log.info("osml_load.engine", "Starting");
 * log.debug("osml_load.engine", "not shown without --verbose");
 * log.close();
 * assert.equal(lines.length, 1);
 * assert.match(lines[0]!, /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO\/osml_load\.engine: Starting$/);
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";
import { asctime } from "./local_time.ts";

/** Log levels, as Python's logging names them. */
export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";

/** Options of a {@linkcode RunLog}. */
export interface RunLogOptions {
  /** Log DEBUG messages too (`--verbose`); wins over `level`. */
  verbose: boolean;
  /** Least important level logged (`-L/--loglevel`); default INFO. */
  level?: LogLevel;
  /** Also append every line, in the file format, to this file (Locust's `--logfile`). */
  logFile?: string | undefined;
  /** Where console lines go; default `console.error`. */
  console?: (line: string) => void;
}

const ORDER: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40 };

/** Console + file logger for one run. */
export class RunLog {
  #level: LogLevel;
  #console: (line: string) => void;
  #file: Deno.FsFile | undefined;
  #logFile: Deno.FsFile | undefined;
  #encoder = new TextEncoder();
  /** Lines logged before a file was attached; written to it on attach. */
  #early: string[] = [];

  /** Opens `options.logFile` at once (append): a bad path fails before the run. */
  constructor(options: RunLogOptions) {
    this.#level = options.verbose ? "DEBUG" : options.level ?? "INFO";
    this.#console = options.console ?? ((line) => console.error(line));
    if (options.logFile !== undefined) {
      try {
        this.#logFile = Deno.openSync(options.logFile, { append: true, create: true });
      } catch (error) {
        throw new UsageError(
          `--logfile ${options.logFile}: cannot open it (${
            error instanceof Error ? error.message : String(error)
          }): create its folder or pick another path`,
        );
      }
    }
  }

  /**
   * Start writing to `path` (truncated, as upstream opens it with mode `w`).
   * Lines logged before are written first, so the file has the whole run
   * while nothing is created for a run that failed its start-up checks.
   */
  attachFile(path: string): void {
    this.#file?.close();
    this.#file = Deno.openSync(path, { write: true, create: true, truncate: true });
    if (this.#early.length) this.#file.writeSync(this.#encoder.encode(this.#early.join("")));
    this.#early = [];
  }

  /** Log at `level` from logger `name`. */
  log(level: LogLevel, name: string, message: string): void {
    if (ORDER[level] < ORDER[this.#level]) return;
    const time = asctime();
    this.#console(`[${time}] ${level}/${name}: ${message}`);
    const line = `${time} - ${name} - ${level} - ${message}\n`;
    this.#logFile?.writeSync(this.#encoder.encode(line));
    if (this.#file) this.#file.writeSync(this.#encoder.encode(line));
    else if (this.#early.length < 10_000) this.#early.push(line);
  }

  /** Log at DEBUG. */
  debug(name: string, message: string): void {
    this.log("DEBUG", name, message);
  }
  /** Log at INFO. */
  info(name: string, message: string): void {
    this.log("INFO", name, message);
  }
  /** Log at WARNING. */
  warn(name: string, message: string): void {
    this.log("WARNING", name, message);
  }
  /** Log at ERROR. */
  error(name: string, message: string): void {
    this.log("ERROR", name, message);
  }

  /** Write a block of lines (e.g. the statistics block) at INFO, each line logged. */
  block(name: string, lines: string[]): void {
    for (const line of lines) this.info(name, line);
  }

  /** Close the log file (and the `--logfile`). */
  close(): void {
    this.#file?.close();
    this.#file = undefined;
    this.#logFile?.close();
    this.#logFile = undefined;
  }
}
