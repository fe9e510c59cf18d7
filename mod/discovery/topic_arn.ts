/**
 * SNS topic ARNs: the status topic comes from the task definition's
 * `IMAGE_STATUS_TOPIC` (an ARN) or from `--mr-status-topic` (an ARN or a bare
 * topic name, completed with the run's partition, region and account).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { topicArnOf, topicNameOf } from "./topic_arn.ts";
 * assert.equal(
 *   topicArnOf("ImageStatusTopic", "us-west-2", "123456789012"),
 *   "arn:aws:sns:us-west-2:123456789012:ImageStatusTopic",
 * );
 * assert.equal(topicNameOf("arn:aws:sns:us-west-2:123456789012:ImageStatusTopic"), "ImageStatusTopic");
 * ```
 * @module
 */
import { UsageError } from "../usage_error.ts";

/**
 * The AWS partition of a region: `aws-cn` for China, `aws-us-gov` for GovCloud,
 * else `aws`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { partitionOf } from "./topic_arn.ts";
 * assert.equal(partitionOf("cn-north-1"), "aws-cn");
 * assert.equal(partitionOf("eu-west-1"), "aws");
 * ```
 */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/**
 * The topic ARN for `value`: an ARN is checked and returned as it is; a topic
 * name becomes `arn:<partition>:sns:<region>:<account>:<name>`. Anything else
 * is a usage error naming `flag`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { topicArnOf } from "./topic_arn.ts";
 * const arn = "arn:aws:sns:eu-west-1:111122223333:Status";
 * assert.equal(topicArnOf(arn, "us-west-2", "123456789012"), arn);
 * ```
 */
export function topicArnOf(
  value: string,
  region: string,
  account: string,
  flag = "--mr-status-topic",
): string {
  const text = value.trim();
  if (text.startsWith("arn:")) {
    if (!TOPIC_ARN.test(text)) {
      throw new UsageError(
        `${flag} ${
          JSON.stringify(value)
        } is not an SNS topic ARN: pass arn:aws:sns:<region>:<account>:<topic> or a topic name`,
      );
    }
    return text;
  }
  if (!TOPIC_NAME.test(text)) {
    throw new UsageError(
      `${flag} ${
        JSON.stringify(value)
      } is not an SNS topic name or ARN: pass e.g. ${flag} ImageStatusTopic`,
    );
  }
  return `arn:${partitionOf(region)}:sns:${region}:${account}:${text}`;
}

/**
 * The topic name at the end of a topic ARN (the value itself when it has no `:`).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { topicNameOf } from "./topic_arn.ts";
 * assert.equal(topicNameOf("ImageStatusTopic"), "ImageStatusTopic");
 * ```
 */
export function topicNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}
