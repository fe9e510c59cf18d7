/**
 * Check, before any load is sent, that every output a run will write can be
 * written: a file's folder exists or can be created, the file is not a folder,
 * and the folder accepts a new file. A problem is one {@linkcode UsageError}
 * line naming the flag, the path and the fix; nothing is left behind by a
 * failed check. {@linkcode createOutputFolders} then makes the folders.
 *
 * @example
 * ```ts
 * import { preflightOutputs } from "./preflight.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/f`, "");
 * await preflightOutputs([{ flag: "--html", path: `${dir}/out/report.html`, kind: "file" }]);
 * let message = "";
 * try {
 *   await preflightOutputs([{ flag: "--output", path: `${dir}/f/run_stats.csv`, kind: "file" }]);
 * } catch (error) {
 *   message = (error as Error).message;
 * }
 * await Deno.remove(dir, { recursive: true });
 * if (!message.includes("is a file, not a folder")) throw new Error(message);
 * ```
 * @module
 */
import { dirname, resolve } from "node:path";
import { UsageError } from "../usage_error.ts";

/** One output a run will write. */
export interface PlannedOutput {
  /** The flag that names it, for the message (e.g. `--html`). */
  flag: string;
  /** The file, or the folder for `kind: "dir"`. */
  path: string;
  kind: "file" | "dir";
}

async function statOf(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function problem(output: PlannedOutput, what: string, fix: string): UsageError {
  return new UsageError(`${output.flag} ${output.path}: ${what}: ${fix}`);
}

/** Can a new file be made in the existing folder `dir`? (Makes one and removes it.) */
async function folderTakesFiles(dir: string): Promise<string | undefined> {
  const probe = `${dir}/.osml-load-preflight-${crypto.randomUUID()}`;
  try {
    const file = await Deno.open(probe, { write: true, createNew: true });
    file.close();
    await Deno.remove(probe);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The nearest folder above `path` that exists, or a problem on the way. */
async function nearestExisting(
  output: PlannedOutput,
  path: string,
): Promise<string> {
  let current = path;
  while (true) {
    const info = await statOf(current).catch((error) => {
      throw problem(output, `cannot be written there (${error.message})`, "choose another path");
    });
    if (info) {
      if (!info.isDirectory) {
        throw problem(
          output,
          `${current} is a file, not a folder`,
          "choose a path inside a folder, or remove that file",
        );
      }
      return current;
    }
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

/** Check every planned output; throws the first problem as a {@linkcode UsageError}. */
export async function preflightOutputs(outputs: readonly PlannedOutput[]): Promise<void> {
  const seen = new Map<string, PlannedOutput>();
  for (const output of outputs) {
    const path = resolve(output.path);
    const other = seen.get(path);
    if (other && (other.kind === "file" || output.kind === "file")) {
      throw problem(output, `is also the path of ${other.flag}`, "give each output its own path");
    }
    seen.set(path, output);
    const info = await statOf(path).catch(() => undefined);
    if (output.kind === "file" && info?.isDirectory) {
      throw problem(output, "is a folder", "give a file name, e.g. " + `${output.path}/report`);
    }
    if (output.kind === "dir" && info && !info.isDirectory) {
      throw problem(output, "is a file, not a folder", "give a folder");
    }
    if (output.kind === "file" && info) {
      try {
        (await Deno.open(path, { write: true })).close();
      } catch (error) {
        throw problem(
          output,
          `cannot be written (${error instanceof Error ? error.message : error})`,
          "fix its permissions or choose another path",
        );
      }
      continue;
    }
    const folder = await nearestExisting(output, output.kind === "dir" ? path : dirname(path));
    const refused = await folderTakesFiles(folder);
    if (refused) {
      throw problem(
        output,
        `the folder ${folder} does not accept new files (${refused})`,
        "choose a writable folder",
      );
    }
  }
}

/** Make the folders of checked outputs (after {@linkcode preflightOutputs} passed). */
export async function createOutputFolders(outputs: readonly PlannedOutput[]): Promise<void> {
  for (const output of outputs) {
    const folder = output.kind === "dir" ? output.path : dirname(output.path);
    try {
      await Deno.mkdir(folder, { recursive: true });
    } catch (error) {
      throw problem(
        output,
        `its folder cannot be created (${error instanceof Error ? error.message : error})`,
        "choose a writable folder",
      );
    }
  }
}
