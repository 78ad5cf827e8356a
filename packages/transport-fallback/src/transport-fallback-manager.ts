import type { DescMessage, DescMethodStreaming, DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import type {
  CallOptions,
  ContextValues,
  StreamResponse,
  Transport,
  UnaryResponse,
} from "@connectrpc/connect";
import { type BuiltinTransports, createBuiltinTransports } from "./builtin-transports.js";
import { type BreakerState, createCircuitBreaker } from "./circuit-breaker.js";
import { emitEvent } from "./events.js";
import { type FallbackCall, runWithFallback, type TransportEntry } from "./fallback-loop.js";
import {
  type BuiltinTransportName,
  builtinTransportNames,
  callTimeoutMs,
  type ExecuteOptions,
  type ResolvedTransportFallbackOptions,
  resolveExecuteOptions,
  resolveTransportFallbackOptions,
  type TransportFallbackOptions,
} from "./options.js";
import { isIdempotent } from "./retry-safety.js";
import { prepareStreamInput } from "./stream-input.js";

/** What `execute` hands to each attempt. */
export interface ExecuteAttempt {
  /** The transport to use for this attempt, e.g. with `createClient(Service, attempt.transport)`. */
  readonly transport: Transport;
  /** Its name, e.g. `"http2_streaming"`. */
  readonly name: string;
  /** 1 for the first attempt of the call, 2 for the first fallback, ... */
  readonly attempt: number;
  /** The caller's signal and this attempt's share of the deadline; pass them to every RPC made. */
  readonly callOptions: CallOptions;
}

/** A transport's place in the manager, for dashboards and tests. */
export interface TransportStatus {
  readonly name: string;
  readonly breaker: BreakerState;
}

/**
 * A Connect `Transport` that sends each call over an ordered list of transports, falling back to
 * the next one only on transport failures, with a circuit breaker per transport, a sticky
 * preference for the last transport that worked, and one deadline shared by all attempts.
 */
export interface TransportFallbackManager extends Transport {
  /**
   * Runs `fn` with one transport after another, under the same rules as a call through the manager
   * itself. `fn` should make its RPCs with `attempt.transport` and `attempt.callOptions`.
   * @throws AllTransportsFailedError when the transports failed; other errors from `fn` unchanged.
   */
  execute<T>(fn: (attempt: ExecuteAttempt) => Promise<T>, options?: ExecuteOptions): Promise<T>;
  /** The transports in configured order with their breaker states. */
  status(): readonly TransportStatus[];
  /** The transport tried first by the next call: the last one that worked (when sticky), else the first. */
  preferredTransport(): string;
  /** Closes the connections of the built-in transports. Your own transports are left to you. */
  close(): void;
}

/**
 * Creates a {@link TransportFallbackManager}. With `baseUrl`, it builds Connect binary over HTTP/1.1
 * (`http_protobuf`), gRPC over HTTP/2 (`http2_streaming`) and Connect JSON over HTTP/1.1
 * (`http_json`), tried in that order unless `order` says otherwise.
 *
 * @throws TransportFallbackError INVALID_OPTIONS when the options are invalid.
 * @example
 * const transport = createTransportFallbackManager({ baseUrl: "http://127.0.0.1:7000" });
 * const discovery = createClient(DiscoveryService, transport);
 * const found = await discovery.discover({ serviceName: "data-bridge" }, { timeoutMs: 2000 });
 */
export function createTransportFallbackManager(options?: TransportFallbackOptions): TransportFallbackManager {
  return new FallbackTransport(resolveTransportFallbackOptions(options));
}

class FallbackTransport implements TransportFallbackManager {
  readonly #options: ResolvedTransportFallbackOptions;
  readonly #entries: readonly TransportEntry[];
  readonly #builtins: BuiltinTransports | undefined;
  #preferred: TransportEntry;

  constructor(options: ResolvedTransportFallbackOptions) {
    this.#options = options;
    const { baseUrl, interceptors } = options;
    this.#builtins = baseUrl === null ? undefined : createBuiltinTransports(baseUrl, interceptors);
    this.#entries = options.order.map((name) => ({
      name,
      transport: options.transports[name] ?? this.#builtin(name),
      breaker: createCircuitBreaker(options.breaker, options.clock, (from, to) =>
        emitEvent(options.onEvent, { type: "breaker_state_change", transport: name, from, to }),
      ),
    }));
    this.#preferred = this.#entries[0]!;
  }

  unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
    header: HeadersInit | undefined,
    input: MessageInitShape<I>,
    contextValues?: ContextValues,
  ): Promise<UnaryResponse<I, O>> {
    return this.#run({
      method: `${method.parent.typeName}/${method.name}`,
      idempotent: isIdempotent(method, contextValues),
      signal,
      timeoutMs: callTimeoutMs(this.#options, timeoutMs),
      canReplay: () => true,
      attempt: (entry, attemptTimeoutMs) =>
        entry.transport.unary(method, signal, attemptTimeoutMs, header, input, contextValues),
    });
  }

  async stream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodStreaming<I, O>,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
    header: HeadersInit | undefined,
    input: AsyncIterable<MessageInitShape<I>>,
    contextValues?: ContextValues,
  ): Promise<StreamResponse<I, O>> {
    const requests = await prepareStreamInput(method.methodKind, input);
    return this.#run({
      method: `${method.parent.typeName}/${method.name}`,
      idempotent: isIdempotent(method, contextValues),
      signal,
      timeoutMs: callTimeoutMs(this.#options, timeoutMs),
      canReplay: requests.canReplay,
      attempt: (entry, attemptTimeoutMs) =>
        entry.transport.stream(method, signal, attemptTimeoutMs, header, requests.next(), contextValues),
    });
  }

  async execute<T>(fn: (attempt: ExecuteAttempt) => Promise<T>, options?: ExecuteOptions): Promise<T> {
    const { label, idempotent, signal, timeoutMs } = resolveExecuteOptions(options);
    let attempt = 0;
    return this.#run({
      method: label,
      idempotent,
      signal,
      timeoutMs: callTimeoutMs(this.#options, timeoutMs),
      canReplay: () => true,
      attempt: (entry, attemptTimeoutMs) => {
        attempt += 1;
        const callOptions: CallOptions = {
          ...(signal === undefined ? {} : { signal }),
          ...(attemptTimeoutMs === undefined ? {} : { timeoutMs: attemptTimeoutMs }),
        };
        return fn({ transport: entry.transport, name: entry.name, attempt, callOptions });
      },
    });
  }

  status(): readonly TransportStatus[] {
    return this.#entries.map((entry) => ({ name: entry.name, breaker: entry.breaker.state() }));
  }

  preferredTransport(): string {
    return this.#options.sticky ? this.#preferred.name : this.#entries[0]!.name;
  }

  close(): void {
    this.#builtins?.close();
  }

  #run<T>(call: FallbackCall<T>): Promise<T> {
    const preferred = this.#preferred;
    const candidates = this.#options.sticky
      ? [preferred, ...this.#entries.filter((entry) => entry !== preferred)]
      : this.#entries;
    return runWithFallback(
      {
        candidates,
        clock: this.#options.clock,
        attemptTimeoutMs: this.#options.attemptTimeoutMs,
        onEvent: this.#options.onEvent,
        onWorked: (entry) => {
          this.#preferred = entry;
        },
      },
      call,
    );
  }

  #builtin(name: string): Transport {
    const builtin = builtinTransportNames.find(
      (candidate): candidate is BuiltinTransportName => candidate === name,
    );
    // resolveTransportFallbackOptions only lets built-in names into the order when baseUrl is set.
    if (builtin === undefined || this.#builtins === undefined)
      throw new Error(`no transport named "${name}"`);
    return this.#builtins.get(builtin);
  }
}
