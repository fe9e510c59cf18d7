/**
 * One entry of `job_status.json` as text, exactly as `stringifyPythonJson` (python_json.ts)
 * writes it inside the top-level object (4-space indent, upstream's key order, Python floats
 * for `processing_duration`), without building the whole object: the streaming writer emits
 * entries one by one.
 *
 * @example
 * ```ts
 * import { formatStatusEntry } from "./job_status_entry.ts";
 * import { stringifyPythonJson } from "./python_json.ts";
 * const record = { job_id: "j", image_url: "s3://b/a.tif", message_id: "m", status: "SUCCESS" as const,
 *   completed: true, size: 10, pixels: null, start_time: "12/09/2025/10:44:51", processing_duration: 3 };
 * const whole = stringifyPythonJson({ "j:s3://b/a.tif": record });
 * if (whole !== `{\n${formatStatusEntry("j:s3://b/a.tif", record)}\n}`) throw new Error(whole);
 * ```
 * @module
 */
import type { JobStatusRecord } from "../model/job_record.ts";
import { jsonNumber } from "./journal_line.ts";

/**
 * The text of one `"<imageId>": {…}` entry at depth 1 (no trailing comma or newline).
 *
 * @example
 * ```ts
 * import { formatStatusEntry } from "./job_status_entry.ts";
 * const text = formatStatusEntry("a:u", { job_id: "a", image_url: "u", message_id: "m",
 *   status: "STARTED", completed: false, size: 1, pixels: 2, start_time: "t", processing_duration: null });
 * if (!text.startsWith('    "a:u": {\n        "job_id": "a",')) throw new Error(text);
 * ```
 */
export function formatStatusEntry(imageId: string, r: JobStatusRecord): string {
  return `    ${JSON.stringify(imageId)}: {
        "job_id": ${JSON.stringify(r.job_id)},
        "image_url": ${JSON.stringify(r.image_url)},
        "message_id": ${JSON.stringify(r.message_id)},
        "status": ${JSON.stringify(r.status)},
        "completed": ${r.completed},
        "size": ${jsonNumber(r.size, false)},
        "pixels": ${jsonNumber(r.pixels, false)},
        "start_time": ${JSON.stringify(r.start_time)},
        "processing_duration": ${jsonNumber(r.processing_duration, true)}
    }`;
}
