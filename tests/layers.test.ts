/**
 * The folders of mod/ import each other only downwards (README "Development", DESIGN.md
 * "Layers"): no two folders import each other, and no folder imports one in a layer above it.
 */
import { strict as assert } from "node:assert";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MOD = join(ROOT, "mod");

/** Layers, top first; a folder may import folders in its own layer or below. */
const LAYERS: readonly (readonly string[])[] = [
  ["commands"],
  ["engine", "web"],
  ["users", "shapes", "output", "cost"],
  ["config", "discovery", "stats", "tracker"],
  ["model", "images", "requests", "aws", "log", "fs", "frontend", "(root)"],
];
/** Beside the tool: what the simulator may import (it is a library of its own). */
const SIM_MAY_IMPORT = new Set(["sim", "images", "requests", "model", "(root)"]);

/**
 * Arrows allowed for a while through a re-export shim during a move (each names the shim);
 * empty when no move is under way. A test fails when a listed shim is gone or no longer needed.
 */
const PENDING: ReadonlyMap<string, string> = new Map([]);

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) out.push(...tsFiles(p));
    else if (p.endsWith(".ts") && !p.endsWith("frontend_bundle.ts")) out.push(p);
  }
  return out;
}

function folderOf(file: string): string {
  const parts = relative(MOD, file).split("/");
  return parts.length > 1 ? parts[0]! : "(root)";
}

/** folder -> folder -> one importing file (for the message). */
function folderGraph(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  const spec = /(?:^|\n)\s*(?:import|export)[^;]*?from\s+"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)/g;
  for (const file of tsFiles(MOD)) {
    const from = folderOf(file);
    const text = Deno.readTextFileSync(file);
    for (const m of text.matchAll(spec)) {
      const target = resolve(dirname(file), m[1] ?? m[2]!);
      if (!target.startsWith(MOD + "/")) continue;
      const to = folderOf(target);
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      const tos = edges.get(from)!;
      if (!tos.has(to)) tos.set(to, relative(ROOT, file));
    }
  }
  return edges;
}

function layerOf(folder: string): number {
  const i = LAYERS.findIndex((l) => l.includes(folder));
  if (i < 0) {
    throw new Error(
      `mod/${folder}/ is in no layer: add it to LAYERS in tests/layers.test.ts and to README's picture`,
    );
  }
  return i;
}

Deno.test("the folder graph sees real imports (static, re-exports and dynamic)", () => {
  const g = folderGraph();
  assert.ok(g.get("commands")?.has("engine"), "commands import engine");
  assert.ok(g.get("engine")?.has("model"), "engine imports model");
  assert.ok(g.get("users")?.has("requests"), "users import requests");
});

Deno.test("no two folders of mod/ import each other", () => {
  const g = folderGraph();
  const pairs: string[] = [];
  for (const [a, tos] of g) {
    for (const [b, file] of tos) {
      const back = g.get(b)?.get(a);
      if (back === undefined || a > b) continue;
      if (PENDING.has(`${a}->${b}`) || PENDING.has(`${b}->${a}`)) continue;
      pairs.push(`${a}<->${b} (${file} imports ${b}/, ${back} imports ${a}/)`);
    }
  }
  assert.deepStrictEqual(pairs, [], "move the shared part down a layer");
});

Deno.test("every import goes down the layers (or stays in its layer)", () => {
  const g = folderGraph();
  const up: string[] = [];
  for (const [from, tos] of g) {
    for (const [to, file] of tos) {
      if (PENDING.has(`${from}->${to}`)) continue;
      if (from === "sim") {
        if (!SIM_MAY_IMPORT.has(to)) up.push(`${file} (sim/) imports ${to}/`);
        continue;
      }
      if (to === "sim") {
        if (from !== "commands") up.push(`${file} imports sim/: only commands/ may`);
        continue;
      }
      if (layerOf(to) < layerOf(from)) up.push(`${file} (${from}/) imports ${to}/, a layer above`);
    }
  }
  assert.deepStrictEqual(up, [], "an arrow goes up: move the shared part down a layer");
});

Deno.test("every pending shim still exists and is still needed", () => {
  const g = folderGraph();
  for (const [arrow, shim] of PENDING) {
    const [from, to] = arrow.split("->") as [string, string];
    assert.ok(
      g.get(from)?.has(to),
      `${arrow} is gone: delete ${shim} and its PENDING entry in tests/layers.test.ts`,
    );
  }
});
