/**
 * What every AWS client needs: the region.
 *
 * @example
 * ```ts
 * import type { AwsSettings } from "./aws_settings.ts";
 * const settings: AwsSettings = { region: "us-west-2" };
 * ```
 */
export interface AwsSettings {
  region: string;
}
