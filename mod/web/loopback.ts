/**
 * Which host names mean "this machine only": `localhost`, the IPv4 loopback
 * block 127.0.0.0/8 written as an address, and the IPv6 loopback `::1` (bare
 * or in brackets, as a Host header carries it). Nothing else: a name such as
 * `127.attacker.example` is a DNS name anyone can point anywhere.
 *
 * @example
 * ```ts
 * import { isLoopbackHostname } from "./loopback.ts";
 * if (!isLoopbackHostname("127.0.0.2") || isLoopbackHostname("127.attacker.example")) {
 *   throw new Error("only loopback addresses pass");
 * }
 * ```
 * @module
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * True for `localhost`, an address in 127.0.0.0/8, `::1` and `[::1]` (case-insensitive).
 *
 * @example
 * ```ts
 * import { isLoopbackHostname } from "./loopback.ts";
 * if (!isLoopbackHostname("[::1]") || isLoopbackHostname("127.0.0.1.nip.io")) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "::1" || host === "[::1]") return true;
  const match = IPV4.exec(host);
  if (match === null) return false;
  const octets = match.slice(1).map(Number);
  return octets[0] === 127 && octets.every((o) => o <= 255);
}

/**
 * The host name of a Host header: `[::1]:8089` → `[::1]`, `a:1` → `a`, `a` → `a`.
 *
 * @example
 * ```ts
 * import { hostOfHeader } from "./loopback.ts";
 * if (hostOfHeader("127.0.0.1:8089") !== "127.0.0.1") throw new Error("port removed");
 * ```
 */
export function hostOfHeader(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}
