import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  DeregisterResponseSchema,
  GetServiceResponseSchema,
  HeartbeatResponseSchema,
  ListServicesResponseSchema,
  RegisterResponseSchema,
  type RegistryService,
} from "@hub/proto";
import type { HubApi } from "../hub-api.js";
import { callerFromHandler } from "../request-context.js";
import { instanceInputFromProto, instanceToProto, serviceToProto } from "./convert.js";
import { withConnectErrors } from "./with-connect-errors.js";

/** hub.v1.RegistryService: decode, call the registry, encode. */
export function createRegistryServiceImpl(api: HubApi): ServiceImpl<typeof RegistryService> {
  return withConnectErrors<typeof RegistryService>({
    async register(request) {
      const { instance } = await api.register(instanceInputFromProto(request.instance));
      return create(RegisterResponseSchema, { instance: instanceToProto(instance) });
    },
    async deregister(request) {
      await api.deregister(request.name, request.instanceId);
      return create(DeregisterResponseSchema, {});
    },
    async heartbeat(request) {
      const { leaseExpiresAt } = await api.heartbeat(request.name, request.instanceId, request.load);
      return create(HeartbeatResponseSchema, { leaseExpiresAt: timestampFromMs(leaseExpiresAt) });
    },
    listServices(request, ctx) {
      const services = api.listServices(callerFromHandler(ctx), request.legacyMode);
      return create(ListServicesResponseSchema, { services: services.map(serviceToProto) });
    },
    getService(request, ctx) {
      const service = api.getService(request.name, callerFromHandler(ctx), request.legacyMode);
      return create(GetServiceResponseSchema, { service: serviceToProto(service) });
    },
  });
}
