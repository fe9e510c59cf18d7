/**
 * Decoder for the `aws-chunked` content encoding that AWS SDKs use to stream
 * uploads with a trailing checksum (`x-amz-content-sha256:
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER` and the signed variants):
 * `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n … 0\r\n<trailers>\r\n\r\n`.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { awsChunkedDecoder } from "./aws_chunked.ts";
 * const body = new Blob(["5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n"]).stream();
 * const text = await new Response(body.pipeThrough(awsChunkedDecoder())).text();
 * assert.equal(text, "hello");
 * ```
 * @module
 */

/**
 * A TransformStream that turns an aws-chunked body into the plain bytes.
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { awsChunkedDecoder } from "./aws_chunked.ts";
 * const plain = new Blob(["3\r\nabc\r\n0\r\n\r\n"]).stream().pipeThrough(awsChunkedDecoder());
 * assert.equal(await new Response(plain).text(), "abc");
 * ```
 */
export function awsChunkedDecoder(): TransformStream<Uint8Array, Uint8Array> {
  let state: "size" | "data" | "crlf" | "trailer" = "size";
  let line: number[] = [];
  let remaining = 0;
  let crlfLeft = 0;
  return new TransformStream({
    transform(chunk, controller) {
      let i = 0;
      while (i < chunk.length) {
        if (state === "size") {
          const b = chunk[i++]!;
          if (b === 0x0a) {
            const text = String.fromCharCode(...line).trim();
            line = [];
            const size = parseInt(text.split(";")[0] ?? "", 16);
            if (!Number.isFinite(size) || size < 0) {
              throw new Error(`aws-chunked body has a bad chunk header "${text}"`);
            }
            if (size === 0) state = "trailer";
            else {
              remaining = size;
              state = "data";
            }
          } else if (line.length < 4096) {
            line.push(b);
          } else {
            throw new Error("aws-chunked body has a chunk header over 4 KiB");
          }
        } else if (state === "data") {
          const n = Math.min(remaining, chunk.length - i);
          controller.enqueue(chunk.subarray(i, i + n));
          i += n;
          remaining -= n;
          if (remaining === 0) {
            state = "crlf";
            crlfLeft = 2;
          }
        } else if (state === "crlf") {
          i++;
          if (--crlfLeft === 0) state = "size";
        } else {
          i = chunk.length; // trailers (checksums) are not verified
        }
      }
    },
  });
}
