import type { ProbeTarget } from "./probe.js";

/** The host without URL brackets, as `net.connect` and `http.request` want it. */
export function bareHost(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** "host:port", with an IPv6 literal bracketed ("[::1]:8080") as URLs require. */
export function formatAuthority(host: string, port: number): string {
  const bare = bareHost(host);
  return bare.includes(":") ? `[${bare}]:${port}` : `${bare}:${port}`;
}

/**
 * The URL an HTTP(S) probe requests: scheme from the protocol, the health path (a leading
 * "/" added when missing, "" meaning "/").
 */
export function healthUrl(target: Pick<ProbeTarget, "protocol" | "host" | "port" | "path">): URL {
  const scheme = target.protocol === "https" ? "https" : "http";
  const path = target.path.startsWith("/") ? target.path : `/${target.path}`;
  return new URL(`${scheme}://${formatAuthority(target.host, target.port)}${path}`);
}
