import { dirname, join } from "node:path";

/**
 * Write a file atomically: write a temp file beside it, then rename it over the
 * target, so a reader never sees half a file. Creates the parent folder.
 *
 * @example
 * ```ts
 * import { writeTextFileAtomic } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeTextFileAtomic(`${dir}/a/b.json`, "{}\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(temp, text);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw new Error(
      `could not write ${path}: ${error instanceof Error ? error.message : String(error)}; ` +
        `check that its folder is writable`,
      { cause: error },
    );
  }
}
