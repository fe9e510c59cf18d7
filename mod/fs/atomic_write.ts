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
  await Deno.mkdir(dir, { recursive: true });
  const temp = join(dir, `.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeTextFile(temp, text);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/** Synchronous {@linkcode writeTextFileAtomic}, for exit paths. */
export function writeTextFileAtomicSync(path: string, text: string): void {
  const dir = dirname(path);
  Deno.mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${crypto.randomUUID()}.tmp`);
  try {
    Deno.writeTextFileSync(temp, text);
    Deno.renameSync(temp, path);
  } catch (error) {
    try {
      Deno.removeSync(temp);
    } catch { /* already gone */ }
    throw error;
  }
}
