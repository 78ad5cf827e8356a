import type { ConnectRouter } from "@connectrpc/connect";
import { ConfigService, DiscoveryService, Health, HealthService, RegistryService } from "@hub/proto";
import type { Registry } from "../../registry/registry.js";
import type { ConfigApi } from "../config-api.js";
import type { HealthReporter } from "../health-reporter.js";
import type { HotRoutes } from "../fast/hot-routes.js";
import type { HubApi } from "../hub-api.js";
import { createConfigServiceImpl } from "./config-service.js";
import { createDiscoveryServiceImpl } from "./discovery-service.js";
import { createGrpcHealthImpl } from "./grpc-health.js";
import { createHealthServiceImpl } from "./health-service.js";
import { createRegistryServiceImpl } from "./registry-service.js";

export interface ConnectServicesOptions {
  readonly api: HubApi;
  readonly hot: HotRoutes;
  readonly reporter: HealthReporter;
  readonly registry: Registry;
  readonly config: ConfigApi;
  /** Whether the hub itself serves (grpc.health.v1 with the empty service name). */
  readonly hubServing: () => boolean;
}

/** Registers every Connect service of the hub (Connect, gRPC and gRPC-web alike). */
export function createConnectServices(options: ConnectServicesOptions): (router: ConnectRouter) => void {
  return (router) => {
    router.service(RegistryService, createRegistryServiceImpl(options.api, options.hot));
    router.service(DiscoveryService, createDiscoveryServiceImpl(options.api, options.hot));
    router.service(HealthService, createHealthServiceImpl(options.reporter));
    router.service(Health, createGrpcHealthImpl(options.registry, options.hubServing));
    router.service(ConfigService, createConfigServiceImpl(options.config));
  };
}
