import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type DiscoveryService,
  InstanceChange_Kind,
  type WatchServicesResponse,
  WatchServicesResponseSchema,
} from "@hub/proto";
import type { HotRoutes } from "../fast/hot-routes.js";
import type { HubApi } from "../hub-api.js";
import { callerFromHandler } from "../request-context.js";
import type { RegistryWatchEvent } from "../watch-registry.js";
import { instanceToProto, serviceToProto } from "./convert.js";
import { withConnectErrors } from "./with-connect-errors.js";

/** hub.v1.DiscoveryService. */
export function createDiscoveryServiceImpl(
  api: HubApi,
  hot: HotRoutes,
): ServiceImpl<typeof DiscoveryService> {
  return withConnectErrors<typeof DiscoveryService>({
    discover(request, ctx) {
      return hot.discover.handle(request, callerFromHandler(ctx));
    },
    async *watchServices(request, ctx) {
      const events = api.watch(
        request.names,
        Number(request.fromRevision),
        callerFromHandler(ctx),
        request.legacyMode,
        ctx.signal,
      );
      for await (const event of events) yield watchEventToProto(event);
    },
  });
}

function watchEventToProto(event: RegistryWatchEvent): WatchServicesResponse {
  const revision = BigInt(event.revision);
  switch (event.type) {
    case "snapshot":
      return create(WatchServicesResponseSchema, {
        revision,
        event: { case: "snapshot", value: { services: event.services.map(serviceToProto) } },
      });
    case "upsert":
      return create(WatchServicesResponseSchema, {
        revision,
        event: {
          case: "change",
          value: {
            kind: InstanceChange_Kind.UPSERT,
            name: event.instance.record.name,
            instanceId: event.instance.record.id,
            instance: instanceToProto(event.instance),
          },
        },
      });
    case "delete":
      return create(WatchServicesResponseSchema, {
        revision,
        event: {
          case: "change",
          value: { kind: InstanceChange_Kind.DELETE, name: event.name, instanceId: event.id },
        },
      });
  }
}
