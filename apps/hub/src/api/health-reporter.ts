import type { Clock } from "../clock.js";
import {
  buildHubHealth,
  buildServiceHealth,
  type HealthReport,
  type HubHealthSources,
} from "../monitoring/health-report.js";
import type { HubApi } from "./hub-api.js";
import type { CallerContext } from "./request-context.js";

/** Builds the hub's and the services' health reports for both APIs. */
export class HealthReporter {
  constructor(
    private readonly sources: HubHealthSources,
    private readonly api: HubApi,
    private readonly clock: Clock,
  ) {}

  hub(): HealthReport {
    return buildHubHealth(this.sources);
  }

  /** Every service the caller may see, keyed by name. */
  services(caller: CallerContext): Record<string, HealthReport> {
    const reports: Record<string, HealthReport> = {};
    for (const summary of this.api.listServices(caller, false))
      reports[summary.name] = buildServiceHealth(summary, this.clock);
    return reports;
  }
}
