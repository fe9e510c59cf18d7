/**
 * A binary min-heap keyed by a number, used for visibility and delay deadlines
 * so that finding the next deadline costs O(log n), not a scan of the queue.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { MinHeap } from "./min_heap.ts";
 * const heap = new MinHeap<string>();
 * heap.push(20, "b");
 * heap.push(10, "a");
 * assert.equal(heap.pop()?.value, "a");
 * ```
 * @module
 */

/** One heap entry: a key (e.g. a deadline in ms) and a value. */
export interface HeapEntry<T> {
  key: number;
  value: T;
}

/**
 * A binary min-heap on `key`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { MinHeap } from "./min_heap.ts";
 * const h = new MinHeap<string>();
 * h.push(5, "later");
 * assert.equal(h.peek()?.key, 5);
 * ```
 */
export class MinHeap<T> {
  #items: HeapEntry<T>[] = [];

  /** Number of entries. */
  get size(): number {
    return this.#items.length;
  }

  /** The entry with the smallest key, without removing it. */
  peek(): HeapEntry<T> | undefined {
    return this.#items[0];
  }

  /** Add an entry. */
  push(key: number, value: T): void {
    const items = this.#items;
    items.push({ key, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      const c = items[i]!;
      if (p.key <= c.key) break;
      items[parent] = c;
      items[i] = p;
      i = parent;
    }
  }

  /** Remove and return the entry with the smallest key. */
  pop(): HeapEntry<T> | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let i = 0;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && items[l]!.key < items[m]!.key) m = l;
      if (r < n && items[r]!.key < items[m]!.key) m = r;
      if (m === i) break;
      const tmp = items[i]!;
      items[i] = items[m]!;
      items[m] = tmp;
      i = m;
    }
    return top;
  }

  /** Keep only the entries for which `keep` is true, then restore the heap order. */
  filter(keep: (entry: HeapEntry<T>) => boolean): void {
    const kept = this.#items.filter(keep);
    kept.sort((a, b) => a.key - b.key);
    this.#items = kept;
  }

  /** Remove every entry. */
  clear(): void {
    this.#items = [];
  }
}
