/**
 * Interned job descriptors: the fields that every job of one image shares (image URL, size,
 * pixels, Locust entry name) are stored once and referred to by a small index, so a tracked
 * job holds four bytes for them instead of three strings and two numbers. A run has as many
 * descriptors as it has distinct (image, model) pairs, not as many as jobs.
 *
 * @example
 * ```ts
 * import { JobDescriptors } from "./job_descriptors.ts";
 * const d = new JobDescriptors();
 * const a = d.intern("s3://b/a.tif", 1024, 4096, "a.tif:m");
 * if (d.intern("s3://b/a.tif", 1024, 4096, "a.tif:m") !== a || d.url(a) !== "s3://b/a.tif") {
 *   throw new Error("interned once");
 * }
 * ```
 * @module
 */

/** Interned (image URL, size, pixels, entry name) tuples. */
export class JobDescriptors {
  #index = new Map<string, number>();
  #urls: string[] = [];
  #sizes: number[] = [];
  #pixels: (number | null)[] = [];
  #names: string[] = [];

  /** Number of distinct descriptors. */
  get size(): number {
    return this.#urls.length;
  }

  /** The index of this tuple, added when new. */
  intern(url: string, size: number, pixels: number | null, name: string): number {
    const key = `${size}\u0000${pixels}\u0000${name}\u0000${url}`;
    let index = this.#index.get(key);
    if (index === undefined) {
      index = this.#urls.length;
      this.#urls.push(url);
      this.#sizes.push(size);
      this.#pixels.push(pixels);
      this.#names.push(name);
      this.#index.set(key, index);
    }
    return index;
  }

  /** The image URL of descriptor `index`. */
  url(index: number): string {
    return this.#urls[index]!;
  }

  /** The image size in bytes of descriptor `index`. */
  imageSize(index: number): number {
    return this.#sizes[index]!;
  }

  /** The pixels (width × height; null when unknown) of descriptor `index`. */
  pixels(index: number): number | null {
    return this.#pixels[index]!;
  }

  /** The Locust entry name `<file>:<model>` of descriptor `index`. */
  name(index: number): string {
    return this.#names[index]!;
  }
}
