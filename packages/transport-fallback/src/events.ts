import type { ConnectError } from "@connectrpc/connect";
import type { BreakerState } from "./circuit-breaker.js";
import type { ErrorClassification, TransportFailureReason } from "./classify-error.js";

/**
 * What the manager reports to `onEvent`, for logs and metrics. `method` is the RPC's
 * `"package.Service/Method"` name, or the `label` passed to `execute` (default `"execute"`).
 */
export type TransportFallbackEvent =
  /** An attempt starts; `timeoutMs` is its share of the call's deadline (`undefined`: none). */
  | {
      readonly type: "attempt";
      readonly method: string;
      readonly transport: string;
      readonly attempt: number;
      readonly timeoutMs: number | undefined;
    }
  /** An attempt got an answer (for a stream: the response headers). */
  | {
      readonly type: "success";
      readonly method: string;
      readonly transport: string;
      readonly attempt: number;
      readonly durationMs: number;
    }
  /** An attempt failed; `fallback` tells whether another transport may be tried. */
  | {
      readonly type: "failure";
      readonly method: string;
      readonly transport: string;
      readonly attempt: number;
      readonly durationMs: number;
      readonly error: ConnectError;
      readonly classification: ErrorClassification;
      readonly fallback: boolean;
    }
  /** The call moves on from a failed transport to the next one. */
  | {
      readonly type: "fallback";
      readonly method: string;
      readonly from: string;
      readonly to: string;
      readonly reason: TransportFailureReason;
    }
  /** A transport's circuit breaker changed state. */
  | {
      readonly type: "breaker_state_change";
      readonly transport: string;
      readonly from: BreakerState;
      readonly to: BreakerState;
    };

/** Calls the listener, if any; a throwing listener must not fail or reroute the call it observes. @internal */
export function emitEvent(
  listener: ((event: TransportFallbackEvent) => void) | null,
  event: TransportFallbackEvent,
): void {
  if (listener === null) return;
  try {
    listener(event);
  } catch {
    // Deliberately ignored: observability hooks are best-effort by contract (see the option's JSDoc).
  }
}
