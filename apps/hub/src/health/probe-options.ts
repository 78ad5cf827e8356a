import { rootCertificates } from "node:tls";
import { type Clock, systemClock } from "../clock.js";
import { invalidArgument } from "../errors/hub-error.js";

/** Settings shared by the built-in probes. Every field is optional. */
export interface ProbeOptions {
  /** Source of latency timings. Default: the system clock. */
  clock?: Clock;
  /** Most bytes of an HTTP response body read; the rest is discarded. Default: 65536 (64 KiB). */
  maxBodyBytes?: number;
  /**
   * Accept any server certificate for https (and TLS gRPC), self-signed ones included.
   * This turns certificate verification off entirely; prefer `ca` where the issuer is known.
   * Default: false.
   */
  acceptSelfSignedCerts?: boolean;
  /** Extra CA certificates (PEM) trusted for https and TLS gRPC, besides the system ones. Default: none. */
  ca?: string | readonly string[];
  /** Speak TLS to `grpc` targets (`h2c` is always cleartext). Default: false, as the fleet serves gRPC in cleartext. */
  grpcTls?: boolean;
  /** Pooled connections idle this long are closed. Default: 60000 (60 s). */
  idleConnectionTimeoutMs?: number;
}

/** {@link ProbeOptions} with every default applied. @internal */
export interface ResolvedProbeOptions {
  readonly clock: Clock;
  readonly maxBodyBytes: number;
  readonly acceptSelfSignedCerts: boolean;
  readonly ca: readonly string[];
  readonly grpcTls: boolean;
  readonly idleConnectionTimeoutMs: number;
}

/** The defaults, in one place. */
export const defaultProbeOptions: Omit<ResolvedProbeOptions, "clock"> = {
  maxBodyBytes: 64 * 1024,
  acceptSelfSignedCerts: false,
  ca: [],
  grpcTls: false,
  idleConnectionTimeoutMs: 60_000,
};

/**
 * Applies defaults and checks bounds.
 * @throws HubError INVALID_ARGUMENT naming the field when a number is out of range.
 * @internal
 */
export function resolveProbeOptions(options: ProbeOptions = {}): ResolvedProbeOptions {
  const resolved: ResolvedProbeOptions = {
    clock: options.clock ?? systemClock,
    maxBodyBytes: options.maxBodyBytes ?? defaultProbeOptions.maxBodyBytes,
    acceptSelfSignedCerts: options.acceptSelfSignedCerts ?? defaultProbeOptions.acceptSelfSignedCerts,
    ca: typeof options.ca === "string" ? [options.ca] : (options.ca ?? defaultProbeOptions.ca),
    grpcTls: options.grpcTls ?? defaultProbeOptions.grpcTls,
    idleConnectionTimeoutMs: options.idleConnectionTimeoutMs ?? defaultProbeOptions.idleConnectionTimeoutMs,
  };
  if (!Number.isSafeInteger(resolved.maxBodyBytes) || resolved.maxBodyBytes < 0) {
    throw invalidArgument("maxBodyBytes", `must be a non-negative integer (got ${resolved.maxBodyBytes})`);
  }
  if (!Number.isSafeInteger(resolved.idleConnectionTimeoutMs) || resolved.idleConnectionTimeoutMs <= 0) {
    throw invalidArgument(
      "idleConnectionTimeoutMs",
      `must be a positive integer (got ${resolved.idleConnectionTimeoutMs})`,
    );
  }
  return resolved;
}

/** TLS settings for https agents and TLS HTTP/2 sessions. @internal */
export function tlsOptions(options: ResolvedProbeOptions): { rejectUnauthorized: boolean; ca?: string[] } {
  const tls: { rejectUnauthorized: boolean; ca?: string[] } = {
    rejectUnauthorized: !options.acceptSelfSignedCerts,
  };
  // Passing `ca` replaces Node's bundled roots, so add them back rather than lose public CAs.
  if (options.ca.length > 0) tls.ca = [...rootCertificates, ...options.ca];
  return tls;
}
