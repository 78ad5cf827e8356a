/** Transport a target speaks; it decides which probe checks it. */
export type CheckProtocol = "http" | "https" | "grpc" | "h2c" | "tcp";

/** What one probe concluded. `warning` means reachable but self-reported as degraded. */
export type ProbeStatus = "passing" | "warning" | "critical";

/** The outcome of one probe. Probes never throw: every failure is a `critical` result. */
export interface ProbeResult {
  readonly status: ProbeStatus;
  /** Lower-case, human-readable reason, e.g. "http 503 service unavailable". */
  readonly message: string;
  /** Time from the start of the probe to its outcome, read from the probe's clock. */
  readonly latencyMs: number;
}

/** The part of a check target that a probe needs. */
export interface ProbeTarget {
  /** Identifies the target (and its cached connections) across calls. */
  readonly key: string;
  readonly protocol: CheckProtocol;
  /** Hostname, IPv4 or IPv6 literal (with or without brackets). */
  readonly host: string;
  readonly port: number;
  /** HTTP(S) only: the health endpoint, e.g. "/health"; "" means "/". */
  readonly path: string;
  /** gRPC only: the service name sent in grpc.health.v1 Check; "" asks about the whole server. */
  readonly grpcService: string;
  /** The probe gives up after this long (or earlier, when the caller's signal aborts). */
  readonly timeoutMs: number;
}

/**
 * Checks one target once. The built-in probes settle promptly once `signal` aborts or
 * `target.timeoutMs` passes, and resolve, never reject (the scheduler also enforces both for
 * probes that do not).
 *
 * A probe may hold connections: `release` tells it a target is gone so its idle connections
 * can close, `close` frees everything. Plain functions satisfy this type.
 */
export interface Probe {
  (target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult>;
  /** Forgets `target`; connections no other target uses are closed. */
  release?(target: ProbeTarget): void;
  /** Closes every connection the probe holds. */
  close?(): Promise<void>;
}
