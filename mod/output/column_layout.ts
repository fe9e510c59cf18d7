/**
 * Lay out a text table in a given width, the way Locust sizes its name
 * column to the terminal: every column is as wide as its header and cells,
 * except one shrinkable column (the name) that takes what is left and is cut
 * with `…`. When even the narrowest name leaves no room for every column, the
 * table is split into parts stacked one under the other, each repeating the
 * key columns (type and name), with as few parts as possible and then the
 * widest name. No line is ever wider than the width.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { layoutTable } from "./column_layout.ts";
 * const lines = layoutTable(
 *   [
 *     { header: "Name", align: "left", key: true, shrink: 4 },
 *     { header: "# reqs", align: "right" },
 *   ],
 *   [["a-long-name", "12"], null, ["Aggregated", "12"]],
 *   14,
 * );
 * assert.deepEqual(lines, [
 *   "Name    # reqs",
 *   "-------|------",
 *   "a-long…     12",
 *   "-------|------",
 *   "Aggreg…     12",
 * ]);
 * ```
 * @module
 */

import { clip } from "../log/live_line.ts";

/** One column of a table. */
export interface TableColumn {
  /** The header text. */
  header: string;
  /** How cells sit in the column. */
  align: "left" | "right";
  /** Repeated in every part when the table is split (type, name). */
  key?: boolean;
  /** The column may narrow to this many characters, its cells cut with `…` (the name). */
  shrink?: number;
  /** Set off from the column before by ` | ` (a `-|-` in separators), as Locust groups columns. */
  group?: boolean;
}

/** A row of cells, or `null` for a separator line. */
export type TableRow = readonly string[] | null;

/** Length in code points (what a terminal shows for the names and numbers in these tables). */
export function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function pad(text: string, width: number, align: "left" | "right"): string {
  const cell = textWidth(text) > width ? clip(text, width) : text;
  const fill = " ".repeat(Math.max(0, width - textWidth(cell)));
  return align === "left" ? cell + fill : fill + cell;
}

/** Gap before column `index` of a part (none before the first). */
function gap(columns: readonly TableColumn[], index: number, separator: boolean): string {
  if (index === 0) return "";
  if (columns[index]?.group) return separator ? "-|-" : " | ";
  return separator ? "|" : " ";
}

function renderPart(
  columns: readonly TableColumn[],
  indexes: readonly number[],
  widths: readonly number[],
  rows: readonly TableRow[],
  width: number,
): string[] {
  const part = indexes.map((i) => columns[i]!);
  const partWidths = indexes.map((i) => widths[i]!);
  const line = (cells: readonly string[]) =>
    part.map((c, j) => gap(part, j, false) + pad(cells[j] ?? "", partWidths[j]!, c.align))
      .join("").trimEnd();
  const separator = part.map((_, j) => gap(part, j, true) + "-".repeat(partWidths[j]!)).join("");
  const out = [line(part.map((c) => c.header)), separator];
  for (const row of rows) out.push(row === null ? separator : line(indexes.map((i) => row[i]!)));
  return out.map((l) => clip(l, width));
}

function partWidth(
  columns: readonly TableColumn[],
  indexes: readonly number[],
  widths: readonly number[],
): number {
  const part = indexes.map((i) => columns[i]!);
  return indexes.reduce((sum, i, j) => sum + gap(part, j, false).length + widths[i]!, 0);
}

/** Split the non-key columns into parts that fit `width` beside the key columns. */
function pack(
  columns: readonly TableColumn[],
  widths: readonly number[],
  width: number,
): number[][] {
  const keys = columns.flatMap((c, i) => (c.key ? [i] : []));
  const parts: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i < columns.length; i++) {
    if (columns[i]!.key) continue;
    const tried = [...keys, ...current, i];
    if (current.length > 0 && partWidth(columns, tried, widths) > width) {
      parts.push([...keys, ...current]);
      current = [];
    }
    current.push(i);
  }
  if (current.length > 0 || parts.length === 0) parts.push([...keys, ...current]);
  return parts;
}

/**
 * The table's lines at `width` columns (`Infinity`: every column as wide as its content): a
 * header, a separator of `-` and `|`, then the rows (`null` rows are separators). Parts of a
 * split table are separated by an empty line. Lines carry no trailing spaces.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { layoutTable } from "./column_layout.ts";
 * const columns = [
 *   { header: "Name", align: "left", key: true, shrink: 4 },
 *   { header: "Avg", align: "right", group: true },
 *   { header: "Max", align: "right" },
 * ] as const;
 * assert.deepEqual(layoutTable(columns, [["x", "10", "200"]], Infinity), [
 *   "Name | Avg Max",
 *   "-----|----|---",
 *   "x    |  10 200",
 * ]);
 * // Too narrow for every column: two parts, each with the name (groups set off by `|` only).
 * assert.deepEqual(layoutTable(columns, [["x", "10", "200"]], 10), [
 *   "Name Avg",
 *   "----|---",
 *   "x     10",
 *   "",
 *   "Name Max",
 *   "----|---",
 *   "x    200",
 * ]);
 * ```
 */
export function layoutTable(
  columns: readonly TableColumn[],
  rows: readonly TableRow[],
  width: number,
): string[] {
  const natural = columns.map((c, i) =>
    Math.max(textWidth(c.header), ...rows.map((r) => (r ? textWidth(r[i] ?? "") : 0)))
  );
  const all = columns.map((_, i) => i);
  const shrinkAt = columns.findIndex((c) => c.shrink !== undefined);
  // Without the ` | ` between groups (a plain `|` in separators), when that saves the names.
  const plain = columns.map((c) => ({ ...c, group: false }));
  if (width === Infinity || partWidth(columns, all, natural) <= width) {
    return renderPart(columns, all, natural, rows, width);
  }
  if (partWidth(plain, all, natural) <= width || shrinkAt < 0) {
    return renderPart(plain, all, natural, rows, width);
  }
  const nameNatural = natural[shrinkAt]!;
  const nameMin = Math.min(nameNatural, columns[shrinkAt]!.shrink!);
  const withName = (n: number) => natural.map((w, i) => (i === shrinkAt ? n : w));
  // One table, the name narrowed to what is left.
  for (const cols of [columns, plain]) {
    const left = width - (partWidth(cols, all, natural) - nameNatural);
    if (left >= nameMin) return renderPart(cols, all, withName(left), rows, width);
  }
  // Split: the fewest parts, then the widest name that keeps that many.
  const fits = (n: number) => {
    const widths = withName(n);
    const parts = pack(plain, widths, width);
    return parts.every((p) => partWidth(plain, p, widths) <= width) ? parts.length : undefined;
  };
  let name = Math.max(1, nameMin);
  while (name > 1 && fits(name) === undefined) name--;
  const fewest = fits(name);
  while (name < nameNatural && fewest !== undefined && (fits(name + 1) ?? Infinity) <= fewest) {
    name++;
  }
  const widths = withName(name);
  return pack(plain, widths, width).flatMap((indexes, p) => [
    ...(p > 0 ? [""] : []),
    ...renderPart(plain, indexes, widths, rows, width),
  ]);
}
