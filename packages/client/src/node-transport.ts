import {
  createTransportFallbackManager,
  TransportFallbackError,
  type TransportFallbackOptions,
} from "@hub/transport-fallback";
import type { Clock } from "./clock.js";
import { withDirectWatch } from "./direct-watch-transport.js";
import { HubClientError } from "./hub-client-error.js";
import type { HubTransportFactory } from "./hub-pool.js";

/**
 * Node: one `@hub/transport-fallback` manager per hub URL (Connect binary over HTTP/1.1, then gRPC
 * over HTTP/2, then Connect JSON, with breakers), reading time from the client's clock.
 * @throws HubClientError INVALID_OPTIONS when `fallback` is invalid.
 * @internal
 */
export function nodeTransportFactory(
  fallback: Omit<TransportFallbackOptions, "baseUrl" | "clock">,
  clock: Clock,
): HubTransportFactory {
  return (baseUrl) => {
    try {
      const manager = createTransportFallbackManager({
        ...fallback,
        baseUrl,
        clock: { now: () => clock.now() },
      });
      // Watches read directly when Connect binary comes first, as it does unless reordered.
      if ((fallback.order?.[0] ?? "http_protobuf") !== "http_protobuf") {
        return { transport: manager, close: () => manager.close() };
      }
      const direct = withDirectWatch(manager, baseUrl);
      return {
        transport: direct.transport,
        close: () => {
          direct.close();
          return manager.close();
        },
      };
    } catch (error) {
      if (error instanceof TransportFallbackError) {
        throw new HubClientError("INVALID_OPTIONS", `fallback: ${error.rawMessage}`, error);
      }
      throw error;
    }
  };
}
