import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { ConfigService, type WatchConfigResponse } from "@hub/proto";
import { backoffDelay } from "./backoff.js";
import { type Clock, sleep } from "./clock.js";
import { type ConfigScope, type ConfigValue, scopeToProto, tierFromProto } from "./config-scope.js";
import { type HubPool, isHubUnreachable } from "./hub-pool.js";
import type { ResolvedBackoffOptions } from "./options.js";

/** What a config watch reports. */
export type ConfigWatchEvent =
  /** The current value, first on every (re)connection whose version differs from the last one seen, then each change. */
  | ({ readonly type: "config"; readonly hubUrl: string } & ConfigValue)
  /** The watched tenant has no config on the hub (never written, or deleted). */
  | { readonly type: "absent"; readonly hubUrl: string; readonly version: bigint }
  /**
   * The stream ended or could not open; the watch retries after `retryInMs`. `refused` is true when
   * a hub answered with a refusal of its own (permission_denied, invalid_argument, ...) rather than
   * being unreachable: retrying then helps only once the hub's data or settings change.
   */
  | {
      readonly type: "disconnected";
      readonly hubUrl: string | null;
      readonly error: ConnectError;
      readonly refused: boolean;
      readonly retryInMs: number;
    };

/** A running config watch. */
export interface ConfigWatch {
  /** Ends the stream and stops retrying. Safe to call twice. */
  close(): void;
}

/** What a config watch needs from its client. @internal */
export interface ConfigWatchSettings {
  readonly pool: HubPool;
  readonly clock: Clock;
  readonly random: () => number;
  readonly backoff: ResolvedBackoffOptions;
  readonly headers: Record<string, string>;
  /** Ends the watch when the client closes. */
  readonly closing: AbortSignal;
}

/**
 * Follows WatchConfig for `scope`: one stream at a time over the client's hubs (the one that
 * last worked first); after a round in which no hub kept a stream open, an exponential backoff
 * with jitter. Each reconnection resumes from the last version seen, so the hub sends the current
 * value only when it changed meanwhile: a change made while disconnected is never missed, and an
 * unchanged one is not delivered twice.
 * @internal
 */
export function startConfigWatch(
  settings: ConfigWatchSettings,
  scope: ConfigScope,
  onEvent: (event: ConfigWatchEvent) => void,
): ConfigWatch {
  const stopping = new AbortController();
  const signal = AbortSignal.any([stopping.signal, settings.closing]);
  const request = { scope: scopeToProto(scope), effective: "tenant" in scope };
  let version = 0n;
  let seenAny = false;
  const emit = (event: ConfigWatchEvent) => {
    try {
      onEvent(event);
    } catch {
      // A listener's failure is its own; it must not look like a broken stream and reconnect.
    }
  };

  const deliver = (message: WatchConfigResponse, hubUrl: string) => {
    version = message.version;
    seenAny = true;
    if (message.absent) {
      emit({ type: "absent", hubUrl, version });
      return;
    }
    const value = message.value.value;
    if (value === undefined) return;
    emit({
      type: "config",
      hubUrl,
      version,
      config: value.config ?? {},
      subscriptionTier: tierFromProto(value.subscriptionTier),
    });
  };

  async function run(): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let progressed = false;
      let lastError = new ConnectError("no hub to watch", Code.Unavailable);
      let lastUrl: string | null = null;
      for (const endpoint of settings.pool.ordered()) {
        if (signal.aborted) return;
        lastUrl = endpoint.url;
        try {
          // 0 until a first message: the hub then sends the current value whatever its version.
          const fromVersion = seenAny ? version : 0n;
          const stream = createClient(ConfigService, endpoint.transport).watchConfig(
            { ...request, fromVersion },
            { signal, headers: settings.headers },
          );
          for await (const message of stream) {
            if (!progressed) settings.pool.worked(endpoint);
            progressed = true;
            deliver(message, endpoint.url);
          }
          lastError = new ConnectError(`hub ${endpoint.url} ended the config watch`, Code.Unavailable);
        } catch (caught) {
          if (signal.aborted) return;
          lastError = ConnectError.from(caught);
        }
        // A refusal is the same on every hub (they share one store): no point asking the next.
        if (!isHubUnreachable(lastError)) break;
      }
      failures = progressed ? 1 : failures + 1;
      const retryInMs = backoffDelay(failures, settings.backoff, settings.random);
      emit({
        type: "disconnected",
        hubUrl: lastUrl,
        error: lastError,
        refused: !isHubUnreachable(lastError),
        retryInMs,
      });
      try {
        await sleep(settings.clock, retryInMs, signal);
      } catch {
        return;
      }
    }
  }

  // run() handles every failure itself; the catch only keeps a bug from becoming an unhandled rejection.
  run().catch(() => {});
  return { close: () => stopping.abort() };
}
