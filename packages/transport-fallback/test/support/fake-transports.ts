import { type ConnectRouter, createRouterTransport, type Transport } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus } from "@hub/proto";

/** What a recording transport saw of one call. */
export interface RecordedCall {
  readonly method: string;
  readonly timeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
}

/** A transport that records each call's arguments before handing it to `behave`. */
export interface RecordingTransport extends Transport {
  readonly calls: RecordedCall[];
}

/**
 * Wraps `behave` as a Transport that records every call. `behave` runs for unary and streaming
 * calls alike; it may throw to fail the attempt or delegate to a real (in-memory) transport.
 */
export function recordingTransport(
  behave: (call: RecordedCall) => Transport | Promise<Transport>,
): RecordingTransport {
  const calls: RecordedCall[] = [];
  return {
    calls,
    async unary(method, signal, timeoutMs, header, input, contextValues) {
      const call = { method: method.name, timeoutMs, signal };
      calls.push(call);
      const next = await behave(call);
      return next.unary(method, signal, timeoutMs, header, input, contextValues);
    },
    async stream(method, signal, timeoutMs, header, input, contextValues) {
      const call = { method: method.name, timeoutMs, signal };
      calls.push(call);
      const next = await behave(call);
      return next.stream(method, signal, timeoutMs, header, input, contextValues);
    },
  };
}

/** A transport that fails every call with `error`. */
export function failingTransport(error: unknown | (() => unknown)): RecordingTransport {
  return recordingTransport(() => {
    throw typeof error === "function" ? error() : error;
  });
}

/** An in-memory Health service that answers SERVING, plus a Watch that streams one update. */
export const healthRoutes = (router: ConnectRouter): void => {
  router.service(Health, {
    check: () => ({ status: HealthCheckResponse_ServingStatus.SERVING }),
    async *watch() {
      yield { status: HealthCheckResponse_ServingStatus.SERVING };
    },
  });
};

/** A transport that answers every Health call in memory. */
export function healthyTransport(): RecordingTransport {
  const inner = createRouterTransport(healthRoutes);
  return recordingTransport(() => inner);
}
