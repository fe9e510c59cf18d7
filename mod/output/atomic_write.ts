/**
 * Write a file so that readers never see it half-written: write a temporary
 * file next to it, then rename it over the target.
 *
 * @example
 * ```ts
 * import { writeTextFileAtomic } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeTextFileAtomic(`${dir}/report.html`, "<!doctype html>");
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */

/** Write `text` to `path` through a temporary file and a rename. */
export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw new Error(
      `could not write ${path}: ${error instanceof Error ? error.message : String(error)}; ` +
        `check that its folder exists and is writable`,
      { cause: error },
    );
  }
}

/** The folder part of a path (`""` when there is none). */
export function dirnameOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i <= 0 ? (i === 0 ? "/" : "") : path.slice(0, i);
}

/** Create the folder that will hold `path`, with its parents, if it is missing. */
export async function ensureParentDir(path: string): Promise<void> {
  const dir = dirnameOf(path);
  if (dir !== "" && dir !== "/") await Deno.mkdir(dir, { recursive: true });
}
