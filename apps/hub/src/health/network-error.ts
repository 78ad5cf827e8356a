/** Plain words for the socket and TLS errors a probe meets most; others keep their code. */
const knownCodes: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by peer",
  EPIPE: "connection closed by peer",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host lookup failed (temporary dns failure)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  DEPTH_ZERO_SELF_SIGNED_CERT: "tls: self-signed certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "tls: self-signed certificate in chain",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "tls: unable to verify the certificate",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "tls: unknown certificate issuer",
  CERT_HAS_EXPIRED: "tls: certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "tls: certificate does not match the host",
};

/**
 * Describes a failed connection for a probe message, naming the address it tried:
 * "connection refused (127.0.0.1:8080)".
 */
export function describeNetworkError(error: unknown, authority: string): string {
  const code = errorCode(error);
  if (code !== undefined) {
    const known = knownCodes[code];
    return `${known ?? code.toLowerCase()} (${authority})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${message || "connection failed"} (${authority})`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}
