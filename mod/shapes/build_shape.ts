/**
 * The {@linkcode LoadShape} that parsed `--shape` settings make.
 *
 * @example
 * ```ts
 * import { buildShape } from "./build_shape.ts";
 * import { parseShapeSettings } from "../config/shape_settings.ts";
 * const settings = parseShapeSettings({ shape: "stages", stages: "10s:5,10s:0" }, 60);
 * const shape = buildShape(settings, { users: 1, spawnRate: 1, windowS: 60 });
 * if (shape.durationS !== 20) throw new Error("the stages last 20 s");
 * ```
 * @module
 */
import type { ShapeSettings } from "../config/shape_settings.ts";
import type { LoadShape } from "./load_shape.ts";
import { windowShape } from "./window_shape.ts";
import { stagesShape } from "./stages_shape.ts";
import { burstShape } from "./burst_shape.ts";
import { rateShape } from "./rate_shape.ts";
import { capacityShape } from "./capacity_shape.ts";

/** Make the shape; `users`, `spawnRate` and `windowS` come from the run settings. */
export function buildShape(
  settings: ShapeSettings,
  run: { users: number; spawnRate: number; windowS: number },
): LoadShape {
  switch (settings.name) {
    case "window":
      return windowShape(run);
    case "stages":
      return stagesShape(settings.stages);
    case "burst":
      return burstShape({ ...settings, windowS: run.windowS });
    case "rate":
      return rateShape({
        rate: settings.rate,
        stages: settings.stages,
        users: run.users,
        windowS: run.windowS,
      });
    case "capacity":
      return capacityShape({ ...settings, users: run.users });
  }
}
