import type { ConnectError } from "@connectrpc/connect";
import type { DiscoveredInstance } from "./discovered-instance.js";

/**
 * What the client reports, for logs, metrics and hooks (`onEvent`, `client.on`, `registration.on`).
 * `error` is always a `ConnectError` (anything else is wrapped with `ConnectError.from`).
 */
export type HubClientEvent =
  /** The hub accepted the instance for the first time; heartbeats start. */
  | {
      readonly type: "registered";
      readonly name: string;
      readonly instanceId: string;
      readonly hubUrl: string;
      /** The lease TTL the hub granted. */
      readonly leaseTtlMs: number;
      readonly heartbeatIntervalMs: number;
    }
  /** The hub had forgotten the instance (Heartbeat said NotFound) and accepted it again. */
  | {
      readonly type: "re_registered";
      readonly name: string;
      readonly instanceId: string;
      readonly hubUrl: string;
    }
  /** A (re-)registration attempt failed; `retryInMs` is null when no retry follows. */
  | {
      readonly type: "register_failed";
      readonly name: string;
      readonly instanceId: string;
      readonly error: ConnectError;
      readonly consecutiveFailures: number;
      readonly retryInMs: number | null;
    }
  /** A heartbeat renewed the lease. */
  | {
      readonly type: "heartbeat";
      readonly name: string;
      readonly instanceId: string;
      readonly hubUrl: string;
      readonly load: number;
    }
  /** A heartbeat failed; the next try follows after `retryInMs` (backoff). */
  | {
      readonly type: "heartbeat_failed";
      readonly name: string;
      readonly instanceId: string;
      readonly error: ConnectError;
      readonly consecutiveFailures: number;
      readonly retryInMs: number;
    }
  /** `close()` removed the instance from the hub. */
  | { readonly type: "deregistered"; readonly name: string; readonly instanceId: string }
  /** `close()` could not reach a hub; the lease will expire on its own. */
  | {
      readonly type: "deregister_failed";
      readonly name: string;
      readonly instanceId: string;
      readonly error: ConnectError;
    }
  /** The watch stream is up and the cache is current (a snapshot arrived, or a resume was accepted). */
  | {
      readonly type: "watch_connected";
      readonly hubUrl: string;
      /** True when the stream resumed from the cache's revision instead of starting with a snapshot. */
      readonly resumed: boolean;
      readonly revision: bigint;
    }
  /** The watch stream broke or could not be opened; the cache keeps answering, growing stale. */
  | {
      readonly type: "watch_disconnected";
      readonly hubUrl: string | null;
      readonly error: ConnectError | null;
      readonly retryInMs: number;
    }
  /** A snapshot replaced the whole cache. */
  | {
      readonly type: "snapshot";
      readonly hubUrl: string;
      readonly revision: bigint;
      readonly services: number;
    }
  /**
   * The cache applied a change from the watch stream: an instance came, changed or went. What a
   * service that follows another (a connection pool per instance, say) reacts to, with no polling.
   */
  | {
      readonly type: "instance_changed";
      readonly hubUrl: string;
      readonly revision: bigint;
      readonly name: string;
      readonly instanceId: string;
      /** The instance as the cache now holds it; null when it is gone. */
      readonly instance: DiscoveredInstance | null;
    }
  /** A hub could not be reached, so the call moved on to the next one. */
  | {
      readonly type: "hub_failover";
      readonly from: string;
      readonly to: string;
      readonly error: ConnectError;
    };

/** The `type` of a {@link HubClientEvent}. */
export type HubClientEventType = HubClientEvent["type"];

/** The {@link HubClientEvent} with this `type`. */
export type HubClientEventOf<T extends HubClientEventType> = Extract<HubClientEvent, { readonly type: T }>;

/** Something that reports {@link HubClientEvent}s to listeners. */
export interface HubClientEventSource {
  /**
   * Calls `listener` for every event of this type until the returned function is called.
   * Exceptions thrown by listeners are ignored.
   */
  on<T extends HubClientEventType>(type: T, listener: (event: HubClientEventOf<T>) => void): () => void;
}

/** Listeners by event type, plus a catch-all; `emit` never throws. @internal */
export interface EventBus extends HubClientEventSource {
  emit(event: HubClientEvent): void;
}

/**
 * Creates an {@link EventBus} whose events also go to `forward` (the client's bus, `onEvent`).
 * @internal
 */
export function createEventBus(
  ...forward: ReadonlyArray<((event: HubClientEvent) => void) | null>
): EventBus {
  const listeners = new Map<HubClientEventType, Set<(event: HubClientEvent) => void>>();
  return {
    on(type, listener) {
      let set = listeners.get(type);
      if (set === undefined) {
        set = new Set();
        listeners.set(type, set);
      }
      const entry = listener as (event: HubClientEvent) => void;
      set.add(entry);
      return () => set.delete(entry);
    },
    emit(event) {
      for (const listener of [...(listeners.get(event.type) ?? []), ...forward]) {
        if (listener === null) continue;
        try {
          listener(event);
        } catch {
          // Deliberately ignored: hooks are best-effort by contract and must not break a heartbeat.
        }
      }
    },
  };
}
