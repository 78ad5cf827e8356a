import type { ServiceImpl } from "@connectrpc/connect";
import type { DiscoveryService } from "@hub/proto";
import type { HotRoutes } from "../fast/hot-routes.js";
import type { HubApi } from "../hub-api.js";
import { callerFromHandler } from "../request-context.js";
import { watchEventToProto } from "./convert.js";
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
