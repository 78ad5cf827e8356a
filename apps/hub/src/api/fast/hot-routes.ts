import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  type DiscoverRequest,
  DiscoveryService,
  GetServiceResponseSchema,
  HeartbeatResponseSchema,
  RegistryService,
} from "@hub/proto";
import { serviceToProto, strategyFromProto } from "../connect/convert.js";
import type { CallerContext } from "../request-context.js";
import { DiscoverAnswers } from "./discover-answers.js";
import type { HubApi } from "../hub-api.js";
import type { FastUnaryRoute } from "./route-table.js";

export interface HotRoutes {
  readonly discover: FastUnaryRoute<
    typeof DiscoveryService.method.discover.input,
    typeof DiscoveryService.method.discover.output
  >;
  readonly getService: FastUnaryRoute<
    typeof RegistryService.method.getService.input,
    typeof RegistryService.method.getService.output
  >;
  readonly heartbeat: FastUnaryRoute<
    typeof RegistryService.method.heartbeat.input,
    typeof RegistryService.method.heartbeat.output
  >;
}

/**
 * The unary methods callers hit on every request they route (Discover), every few seconds per
 * instance (Heartbeat), or to inspect a service (GetService). The fast path and the Connect
 * services both call these, so the two paths cannot drift apart.
 */
export function createHotRoutes(api: HubApi): HotRoutes {
  const discoverFor = (request: DiscoverRequest, caller: CallerContext) =>
    api.discover(request.name, caller, request.legacyMode, strategyFromProto(request.strategy));
  const answers = new DiscoverAnswers();
  const discover: HotRoutes["discover"] = {
    method: DiscoveryService.method.discover,
    handle: (request, caller) => answers.message(discoverFor(request, caller)),
    encode: (request, caller, serializer, binary) =>
      answers.encode(discoverFor(request, caller), serializer, binary),
  };
  const getService: HotRoutes["getService"] = {
    method: RegistryService.method.getService,
    handle: (request, caller) =>
      create(GetServiceResponseSchema, {
        service: serviceToProto(api.getService(request.name, caller, request.legacyMode)),
      }),
  };
  const heartbeat: HotRoutes["heartbeat"] = {
    method: RegistryService.method.heartbeat,
    handle: async (request) => {
      const { leaseExpiresAt } = await api.heartbeat(request.name, request.instanceId, request.load);
      return create(HeartbeatResponseSchema, { leaseExpiresAt: timestampFromMs(leaseExpiresAt) });
    },
  };
  return { discover, getService, heartbeat };
}
