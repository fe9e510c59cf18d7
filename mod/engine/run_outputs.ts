import type { RunSettings } from "../config/run_settings.ts";
import type { Output } from "../output/output.ts";
export function buildOutputs(_settings: RunSettings, _write: (line: string) => void): Output[] {
  return [];
}
