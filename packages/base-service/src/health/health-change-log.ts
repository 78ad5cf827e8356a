import type { Logger } from "pino";
import type { DependencyResult } from "./dependency-checks.js";
import type { HealthStatus } from "./health-status.js";

/**
 * Logs what changed between two health reports, so that a flapping dependency shows in the logs
 * once per change rather than on every probe: a dependency that stops being healthy (warn, with
 * the reason), one that recovers (info), and the service's own status.
 * @internal
 */
export class HealthChangeLog {
  readonly #log: Logger;
  readonly #dependencies = new Map<string, HealthStatus>();
  #status: HealthStatus | undefined;

  constructor(log: Logger) {
    this.#log = log;
  }

  record(status: HealthStatus, dependencies: readonly DependencyResult[]): void {
    for (const { name, status: now, message } of dependencies) {
      const before = this.#dependencies.get(name);
      this.#dependencies.set(name, now);
      // A dependency first seen healthy is the normal start, not news.
      if (before === now || (before === undefined && now === "healthy")) continue;
      const fields = { dependency: name, from: before ?? "unknown", to: now, reason: message };
      if (now === "healthy") this.#log.info(fields, "dependency recovered");
      else this.#log.warn(fields, "dependency not healthy");
    }
    if (this.#status !== undefined && this.#status !== status) {
      this.#log.info({ from: this.#status, to: status }, "health status changed");
    }
    this.#status = status;
  }
}
