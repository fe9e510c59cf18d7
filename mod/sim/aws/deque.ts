/**
 * A FIFO queue backed by an array with a head index, so that taking from the
 * front is O(1) amortised whatever the depth (Array#shift is O(n)).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Deque } from "./deque.ts";
 * const q = new Deque<number>();
 * q.push(1);
 * q.push(2);
 * assert.equal(q.shift(), 1);
 * assert.equal(q.length, 1);
 * ```
 * @module
 */

/**
 * A first-in first-out queue.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { Deque } from "./deque.ts";
 * const d = new Deque<string>();
 * d.push("a");
 * assert.equal(d.shift(), "a");
 * ```
 */
export class Deque<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** Number of items. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Add at the back. */
  push(item: T): void {
    this.#items.push(item);
  }

  /** Add at the front. */
  unshift(item: T): void {
    if (this.#head > 0) {
      this.#head--;
      this.#items[this.#head] = item;
    } else {
      this.#items.unshift(item);
    }
  }

  /** Take from the front. */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head++;
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Remove every item. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }

  /** The items, front first (a copy). */
  toArray(): T[] {
    return this.#items.slice(this.#head) as T[];
  }
}
