import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  DeregisterResponseSchema,
  ListServicesResponseSchema,
  RegisterResponseSchema,
  type RegistryService,
} from "@hub/proto";
import type { HotRoutes } from "../fast/hot-routes.js";
import type { HubApi } from "../hub-api.js";
import { callerFromHandler } from "../request-context.js";
import { instanceInputFromProto, instanceToProto, serviceToProto } from "./convert.js";
import { withConnectErrors } from "./with-connect-errors.js";

/** hub.v1.RegistryService: decode, call the registry, encode. */
export function createRegistryServiceImpl(api: HubApi, hot: HotRoutes): ServiceImpl<typeof RegistryService> {
  return withConnectErrors<typeof RegistryService>({
    async register(request) {
      const { instance } = await api.register(instanceInputFromProto(request.instance));
      return create(RegisterResponseSchema, { instance: instanceToProto(instance) });
    },
    async deregister(request) {
      await api.deregister(request.name, request.instanceId);
      return create(DeregisterResponseSchema, {});
    },
    heartbeat(request, ctx) {
      return hot.heartbeat.handle(request, callerFromHandler(ctx));
    },
    listServices(request, ctx) {
      const services = api.listServices(callerFromHandler(ctx), request.legacyMode);
      return create(ListServicesResponseSchema, { services: services.map(serviceToProto) });
    },
    getService(request, ctx) {
      return hot.getService.handle(request, callerFromHandler(ctx));
    },
  });
}
