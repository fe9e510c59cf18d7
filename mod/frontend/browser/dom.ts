/**
 * Small DOM helpers of the page and the report. Values from the server go in
 * with `textContent` only, never as HTML.
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { el } from "./dom.ts";
 * document.body.append(el("p", "<b>shown as text</b>"));
 * ```
 * @module
 */

/**
 * The element with `id`; throws when the page lacks it (a page/script mismatch).
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { byId } from "./dom.ts";
 * const input = byId<HTMLInputElement>("f-users");
 * ```
 */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no element #${id}: reload the page`);
  return found as T;
}

/**
 * A new element with `text` as its text and `className`.
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { el } from "./dom.ts";
 * const cell = el("td", "12", "num");
 * ```
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string | number | null,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

/**
 * Set the text of the element `id`.
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { setText } from "./dom.ts";
 * setText("m-users", 5);
 * ```
 */
export function setText(id: string, text: string | number): void {
  const node = document.getElementById(id);
  if (node) node.textContent = String(text);
}

/**
 * Remove every child of `node`.
 *
 * @example
 * Not run as a test: it needs a browser page (the DOM).
 * ```ts ignore
 * import { clear } from "./dom.ts";
 * clear(document.body);
 * ```
 */
export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}
