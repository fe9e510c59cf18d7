/**
 * Typed arrays that grow in place, for the tracker's packed per-job columns (issue 18).
 *
 * Growing a typed array the usual way (allocate a bigger one, copy, drop the old) leaves the
 * old backing stores in the C allocator's heap: glibc returns a freed block of a few megabytes
 * to the system only when it sits at the top of the heap, so a column grown by half a dozen
 * times keeps about three times its size in RSS. A measured 330,000 open jobs took 62 MB of
 * RSS for 36 MB of columns.
 *
 * A growable array sits on a resizable `ArrayBuffer` instead: V8 reserves address space
 * (`maxByteLength`, not memory) and commits pages as the buffer grows, so growth copies
 * nothing and frees nothing, and RSS follows what was written. The typed array tracks the
 * buffer's length, so references to it stay valid. Past the reservation, or where the
 * reservation is refused (an address-space limit such as `ulimit -v`), the array grows by
 * copying into a new one, as before: slower to grow, never wrong.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { growableArray, growArray } from "./growable_array.ts";
 * const a = growableArray(Uint32Array, 4);
 * a[3] = 7;
 * const b = growArray(a, 1000);
 * assert.equal(b, a); // grown in place: the same array
 * assert.equal(b.length, 1000);
 * assert.equal(b[3], 7);
 * assert.equal(b[999], 0); // new elements are zero
 * ```
 * @module
 */

/** The typed arrays a growable array can be. */
export type GrowableArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** The constructor of a {@linkcode GrowableArray}. */
export interface GrowableArrayConstructor<T extends GrowableArray> {
  new (length: number): T;
  new (buffer: ArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Address space a growable array reserves by default (not memory): 128 MiB. */
export const DEFAULT_RESERVE_BYTES = 2 ** 27;

/**
 * A zero-filled typed array of `length` elements that {@linkcode growArray} grows in place up
 * to `reserveBytes` (at least its own size). Falls back to a plain typed array when the address
 * space cannot be reserved.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { growableArray } from "./growable_array.ts";
 * const a = growableArray(Float64Array, 3, 1024);
 * assert.deepEqual([...a], [0, 0, 0]);
 * assert.equal(a.buffer.byteLength, 24);
 * ```
 */
export function growableArray<T extends GrowableArray>(
  ctor: GrowableArrayConstructor<T>,
  length: number,
  reserveBytes = DEFAULT_RESERVE_BYTES,
): T {
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  try {
    return new ctor(new ArrayBuffer(bytes, { maxByteLength: Math.max(bytes, reserveBytes) }));
  } catch {
    return new ctor(length);
  }
}

/**
 * `array` with `length` elements (not fewer than it has): the same array grown in place when
 * its buffer can, else a new growable array holding a copy (reserving four times the new size
 * or the default, whichever is more). New elements are zero.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { growableArray, growArray } from "./growable_array.ts";
 * const small = growableArray(Int32Array, 2, 8); // room for 2 elements in place
 * small[1] = -5;
 * const bigger = growArray(small, 3); // past the reservation: copied
 * assert.notEqual(bigger, small);
 * assert.deepEqual([...bigger], [0, -5, 0]);
 * assert.equal(growArray(bigger, 2), bigger); // never shrinks
 * assert.equal(bigger.length, 3);
 * // A view of fixed length, or one that starts inside its buffer, is copied too.
 * const fixed = new Uint32Array(new ArrayBuffer(8, { maxByteLength: 64 }), 0, 2);
 * assert.equal(growArray(fixed, 8).length, 8);
 * const offset = new Uint32Array(new ArrayBuffer(16, { maxByteLength: 64 }), 8);
 * assert.equal(growArray(offset, 6).length, 6);
 * assert.throws(() => growArray(fixed, NaN), RangeError);
 * ```
 */
export function growArray<T extends GrowableArray>(array: T, length: number): T {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`a growable array's length must be a whole number >= 0, not ${length}`);
  }
  if (length <= array.length) return array;
  const bytes = length * array.BYTES_PER_ELEMENT;
  const buffer = array.buffer;
  if (
    buffer instanceof ArrayBuffer && buffer.resizable && array.byteOffset === 0 &&
    bytes <= buffer.maxByteLength
  ) {
    buffer.resize(bytes);
    // Only a view that tracks its buffer's length grew with it (one of fixed length did not).
    if (array.length === length) return array;
  }
  const ctor = array.constructor as GrowableArrayConstructor<T>;
  const bigger = growableArray(ctor, length, Math.max(4 * bytes, DEFAULT_RESERVE_BYTES));
  bigger.set(array as never);
  return bigger;
}
