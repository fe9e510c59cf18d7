/**
 * Images whose header could not be read, grouped by cause, for one start-up line per cause
 * instead of one warning per image (a bucket of 5,000 images behind a misbehaving server would
 * otherwise print 5,000 lines that all say the same thing).
 *
 * @example
 * ```ts
 * import { groupUnreadable } from "./unreadable_images.ts";
 * const groups = groupUnreadable([
 *   { url: "s3://b/a.tif", error: new Error('Checksum mismatch: expected "AAAAAAAAAA==" but received "BBBBBBBBBB=="') },
 *   { url: "s3://b/b.tif", error: new Error('Checksum mismatch: expected "CCCCCCCCCC==" but received "DDDDDDDDDD=="') },
 * ]);
 * if (groups.length !== 1 || groups[0]!.count !== 2) throw new Error("one cause, two images");
 * ```
 * @module
 */
import { awsErrorCode, awsHttpStatus } from "../aws/aws_errors.ts";
import { ImageHeaderError } from "./image_header_error.ts";

/** One image whose header could not be read, and why. */
export interface UnreadableImage {
  url: string;
  error: unknown;
}

/** Unreadable images that share a cause. */
export interface UnreadableGroup {
  /** The cause, without what differs from image to image (names, offsets, checksums). */
  cause: string;
  /** How many images. */
  count: number;
  /** The first few image URLs. */
  examples: string[];
  /** The full error message of the first image. */
  firstMessage: string;
}

const EXAMPLES = 3;

/**
 * The cause of a header read failure, with what differs between images left out: an AWS
 * error is its code and HTTP status; an unreadable header is its problem; anything else its
 * name and message, with numbers and checksum-like strings replaced.
 *
 * @example
 * ```ts
 * import { headerReadCause } from "./unreadable_images.ts";
 * import { ImageHeaderError } from "./image_header_error.ts";
 * const cause = headerReadCause(new ImageHeaderError("a.tif", "the file ends at byte 76"));
 * if (cause !== "the file ends at byte N") throw new Error(cause);
 * ```
 */
export function headerReadCause(error: unknown): string {
  if (error instanceof ImageHeaderError) return normalize(error.problem);
  const status = awsHttpStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status !== undefined) return `${awsErrorCode(error)} (HTTP ${status})`;
  const name = error instanceof Error ? error.name : "Error";
  return `${name}: ${normalize(message)}`;
}

function normalize(text: string): string {
  return text
    .replace(/"[A-Za-z0-9+/=_-]{8,}"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+/g, "N");
}

/**
 * Group unreadable images by {@linkcode headerReadCause}, the most common cause first.
 *
 * @example
 * ```ts
 * import { groupUnreadable } from "./unreadable_images.ts";
 * if (groupUnreadable([]).length !== 0) throw new Error("no failures, no groups");
 * ```
 */
export function groupUnreadable(failures: readonly UnreadableImage[]): UnreadableGroup[] {
  const groups = new Map<string, UnreadableGroup>();
  for (const { url, error } of failures) {
    const cause = headerReadCause(error);
    let group = groups.get(cause);
    if (!group) {
      group = {
        cause,
        count: 0,
        examples: [],
        firstMessage: error instanceof Error ? error.message : String(error),
      };
      groups.set(cause, group);
    }
    group.count++;
    if (group.examples.length < EXAMPLES) group.examples.push(url);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/**
 * One line per group, for the start-up log: how many images, the cause, examples and the
 * first full message.
 *
 * @example
 * ```ts
 * import { describeUnreadable } from "./unreadable_images.ts";
 * const lines = describeUnreadable([{ cause: "AccessDenied (HTTP 403)", count: 2,
 *   examples: ["s3://b/a.tif", "s3://b/b.tif"], firstMessage: "Access Denied" }], 10);
 * if (!lines[0]!.startsWith("could not read the header of 2 of 10 image(s)")) throw new Error(lines[0]);
 * ```
 */
export function describeUnreadable(groups: readonly UnreadableGroup[], total: number): string[] {
  const unreadable = groups.reduce((n, g) => n + g.count, 0);
  if (unreadable === 0) return [];
  const lines = [
    `could not read the header of ${unreadable} of ${total} image(s): their pixels are unknown ` +
    "(not counted in total_pixels_processed; see jobs_pixels_unknown in job_summary.json)",
  ];
  for (const g of groups) {
    const more = g.count > g.examples.length ? `, and ${g.count - g.examples.length} more` : "";
    lines.push(
      `  ${g.count} image(s): ${g.cause} (e.g. ${
        g.examples.join(", ")
      }${more}); first error: ${g.firstMessage}`,
    );
  }
  return lines;
}
