import { type CallOptions, Code, ConnectError, type Transport } from "@connectrpc/connect";
import type { Clock } from "./clock.js";
import type { EventBus } from "./events.js";
import { HubClientError } from "./hub-client-error.js";

/** One hub: its base URL and the transport that reaches it. @internal */
export interface HubEndpoint {
  readonly url: string;
  readonly transport: Transport;
}

/** The transport for one hub URL and how to release it. @internal */
export interface HubTransport {
  readonly transport: Transport;
  close(): void;
}

/** Builds the transport for one hub URL; the Node and browser entry points differ only here. @internal */
export type HubTransportFactory = (hubUrl: string) => HubTransport;

/** Your own transports (the `createTransport` option), which stay yours to close. @internal */
export function customTransportFactory(create: (hubUrl: string) => Transport): HubTransportFactory {
  return (hubUrl) => ({ transport: create(hubUrl), close: () => {} });
}

/** Per-call settings of {@link HubPool.call}. @internal */
export interface PoolCallOptions {
  /** Name of the call in error messages, e.g. `"Heartbeat"`. */
  readonly label: string;
  readonly signal: AbortSignal | null;
  readonly headers: Record<string, string>;
}

/**
 * The hubs a client knows, tried in order with the one that last worked first. Only failures
 * that say the hub was not reached (or could not serve) move a call on; a hub's answer to the
 * request itself (`invalid_argument`, `not_found`, ...) is final, since every hub shares one store.
 * @internal
 */
export interface HubPool {
  readonly endpoints: readonly HubEndpoint[];
  /** The endpoints in the order to try them: the one that last worked, then the configured order. */
  ordered(): HubEndpoint[];
  /** Records that `endpoint` answered, so it is tried first from now on. */
  worked(endpoint: HubEndpoint): void;
  /**
   * Runs `fn` against one hub after another until one answers, within the client's call deadline,
   * giving each hub at most the attempt timeout.
   * @throws HubClientError UNAVAILABLE when no hub answered; ABORTED when the signal fired.
   * @throws ConnectError unchanged when a hub answered with an error of its own.
   */
  call<T>(
    fn: (endpoint: HubEndpoint, callOptions: CallOptions) => Promise<T>,
    options: PoolCallOptions,
  ): Promise<{ readonly value: T; readonly endpoint: HubEndpoint }>;
  /** Releases every transport's connections. */
  close(): void;
}

/** Settings of {@link createHubPool}. @internal */
export interface HubPoolSettings {
  readonly hubUrls: readonly string[];
  readonly factory: HubTransportFactory;
  readonly clock: Clock;
  readonly callTimeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly events: EventBus;
}

/**
 * True when an error says the hub was not reached or could not serve, so another hub may:
 * anything the hub did not send in its protocol (refused, reset, timed out, a proxy's bare HTTP
 * status), and `unavailable` or `deadline_exceeded` even when it did.
 * @internal
 */
export function isHubUnreachable(error: ConnectError): boolean {
  return error.code === Code.Unavailable || error.code === Code.DeadlineExceeded || !error.isWireError;
}

/** Creates a {@link HubPool} with one transport per URL. @internal */
export function createHubPool(settings: HubPoolSettings): HubPool {
  const transports = settings.hubUrls.map((url) => ({ url, ...settings.factory(url) }));
  const endpoints: HubEndpoint[] = transports.map(({ url, transport }) => ({ url, transport }));
  let preferred = endpoints[0]!;
  const { clock } = settings;

  const ordered = () => [preferred, ...endpoints.filter((endpoint) => endpoint !== preferred)];

  return {
    endpoints,
    ordered,
    worked(endpoint) {
      preferred = endpoint;
    },
    async call(fn, options) {
      const deadline = clock.now() + settings.callTimeoutMs;
      const failures: string[] = [];
      let lastError: ConnectError | undefined;
      const candidates = ordered();
      for (const [index, endpoint] of candidates.entries()) {
        const remaining = deadline - clock.now();
        if (remaining <= 0) break;
        throwIfAborted(options.signal, options.label);
        const callOptions: CallOptions = {
          timeoutMs: Math.min(settings.attemptTimeoutMs, remaining),
          headers: options.headers,
          ...(options.signal === null ? {} : { signal: options.signal }),
        };
        try {
          const value = await fn(endpoint, callOptions);
          preferred = endpoint;
          return { value, endpoint };
        } catch (caught) {
          throwIfAborted(options.signal, options.label, caught);
          const error = ConnectError.from(caught);
          if (!isHubUnreachable(error)) throw caught;
          lastError = error;
          failures.push(`${endpoint.url}: ${error.message}`);
          const next = candidates[index + 1];
          if (next !== undefined)
            settings.events.emit({ type: "hub_failover", from: endpoint.url, to: next.url, error });
        }
      }
      const tried =
        failures.length > 0 ? failures.join("; ") : `no time left of ${settings.callTimeoutMs} ms`;
      throw new HubClientError("UNAVAILABLE", `no hub answered ${options.label}: ${tried}`, lastError);
    },
    close() {
      for (const { close } of transports) close();
    },
  };
}

/**
 * Throws ABORTED when the caller's signal has fired (checked before the error itself, because
 * an aborted call fails with whatever the transport made of the abort).
 * @internal
 */
export function throwIfAborted(signal: AbortSignal | null, label: string, cause?: unknown): void {
  if (signal?.aborted) {
    throw new HubClientError("ABORTED", `${label} was aborted`, cause ?? signal.reason);
  }
}
