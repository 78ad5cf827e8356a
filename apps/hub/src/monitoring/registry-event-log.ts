import type { HubLogger } from "../logger.js";
import type { Registry } from "../registry/registry.js";

/**
 * Logs what an operator wants to see at the default level: instances appearing, disappearing
 * and changing status (with the check's message). Lease and heartbeat traffic stays quiet.
 * Returns the unsubscribe function.
 */
export function logRegistryEvents(registry: Registry, logger: HubLogger): () => void {
  return registry.subscribe((changes) => {
    for (const { name, id, instance, previous } of changes) {
      if (instance && !previous) {
        logger.info({ serviceName: name, instance: id, endpoint: instance.endpoint }, "instance registered");
      } else if (!instance && previous) {
        logger.info(
          { serviceName: name, instance: id, endpoint: previous.endpoint, lastStatus: previous.status },
          "instance removed",
        );
      } else if (instance && previous && instance.status !== previous.status) {
        const level = instance.status === "unhealthy" ? "warn" : "info";
        logger[level](
          {
            serviceName: name,
            instance: id,
            from: previous.status,
            to: instance.status,
            reason: instance.statusMessage,
          },
          "instance status changed",
        );
      }
    }
  });
}
