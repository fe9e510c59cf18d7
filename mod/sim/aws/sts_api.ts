/**
 * The simulator's STS (AWS Query protocol: a form body with `Action=...`,
 * XML answers): GetCallerIdentity, for account detection.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleSts } from "./sts_api.ts";
 * const res = handleSts(new URLSearchParams("Action=GetCallerIdentity&Version=2011-06-15"), "123456789012");
 * assert.equal(res.status, 200);
 * ```
 * @module
 */
import { AwsError } from "./aws_error.ts";
import { requestId, xmlEscape } from "./wire_protocol.ts";

/**
 * The STS XML namespace.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { STS_NAMESPACE } from "./sts_api.ts";
 * assert.equal(STS_NAMESPACE, "https://sts.amazonaws.com/doc/2011-06-15/");
 * ```
 */
export const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

/**
 * Answer one STS request given its form parameters.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { handleSts } from "./sts_api.ts";
 * const xml = await handleSts(new URLSearchParams("Action=GetCallerIdentity"), "123456789012").text();
 * assert.ok(xml.includes("<Account>123456789012</Account>"));
 * ```
 */
export function handleSts(form: URLSearchParams, account: string): Response {
  const action = form.get("Action") ?? "";
  if (action !== "GetCallerIdentity") {
    throw new AwsError(
      400,
      "InvalidAction",
      `The action ${
        action || "(none)"
      } is not valid for this web service: the simulator answers GetCallerIdentity.`,
    );
  }
  const arn = `arn:aws:iam::${account}:user/osml-load-sim`;
  const xml = `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}">
  <GetCallerIdentityResult>
    <Arn>${xmlEscape(arn)}</Arn>
    <UserId>AIDASIMULATOR${account}</UserId>
    <Account>${xmlEscape(account)}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId()}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;
  return new Response(xml, { status: 200, headers: { "content-type": "text/xml" } });
}
