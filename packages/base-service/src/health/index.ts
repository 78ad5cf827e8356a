export { HealthChangeLog } from "./health-change-log.js";
export { ActiveTenants } from "./active-tenants.js";
export {
  type DependencyCheck,
  type DependencyCheckOptions,
  type DependencyCheckOutcome,
  DependencyChecks,
  type DependencyResult,
} from "./dependency-checks.js";
export {
  buildHealthReport,
  type HealthReport,
  type HealthReportParts,
  serviceStatus,
} from "./health-report.js";
export { type HealthStatus, isHealthStatus, worstStatus } from "./health-status.js";
export { type SystemResources, SystemResourceSampler } from "./system-resources.js";
