import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  GetHubHealthResponseSchema,
  GetServicesHealthResponseSchema,
  type HealthReport as ProtoHealthReport,
  HealthReportSchema,
  type HealthService,
} from "@hub/proto";
import type { HealthReport } from "../../monitoring/health-report.js";
import type { HealthReporter } from "../health-reporter.js";
import { callerFromHandler } from "../request-context.js";
import { statusToProtoEnum } from "./convert.js";
import { withConnectErrors } from "./with-connect-errors.js";

/** hub.v1.HealthService: the same reports as GET /health and GET /health/services. */
export function createHealthServiceImpl(reporter: HealthReporter): ServiceImpl<typeof HealthService> {
  return withConnectErrors<typeof HealthService>({
    getHubHealth() {
      return create(GetHubHealthResponseSchema, { report: reportToProto(reporter.hub()) });
    },
    getServicesHealth(_request, ctx) {
      const services: Record<string, ProtoHealthReport> = {};
      for (const [name, report] of Object.entries(reporter.services(callerFromHandler(ctx)))) {
        services[name] = reportToProto(report);
      }
      return create(GetServicesHealthResponseSchema, { services });
    },
  });
}

function reportToProto(report: HealthReport): ProtoHealthReport {
  return create(HealthReportSchema, {
    serviceName: report.service_name,
    status: statusToProtoEnum(report.status),
    timestamp: timestampFromMs(Date.parse(report.timestamp)),
    version: report.version,
    uptimeSeconds: report.uptime_seconds,
    performanceMetrics: {
      responseTimeMs: report.performance_metrics.response_time_ms,
      throughputRps: report.performance_metrics.throughput_rps,
      errorRatePercent: report.performance_metrics.error_rate_percent,
    },
    systemResources: {
      cpuUsagePercent: report.system_resources.cpu_usage_percent,
      memoryUsageMb: report.system_resources.memory_usage_mb,
      diskUsagePercent: report.system_resources.disk_usage_percent,
    },
    dependencies: report.dependencies,
    tenantContext: {
      activeTenants: report.tenant_context.active_tenants,
      tenantIsolationStatus: report.tenant_context.tenant_isolation_status,
    },
  });
}
