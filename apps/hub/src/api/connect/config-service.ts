import { create } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { type ConfigService, type WatchConfigResponse, WatchConfigResponseSchema } from "@hub/proto";
import { parseTenantId } from "../../config/index.js";
import type { ConfigApi, ConfigApiWatchEvent, ConfigWriter } from "../config-api.js";
import { callerFromHandler, peerKey } from "../request-context.js";
import { documentToProto, scopeFromProto, tenantConfigToProto, tierFromProto } from "./config-convert.js";
import { withConnectErrors } from "./with-connect-errors.js";

/** hub.v1.ConfigService. */
export function createConfigServiceImpl(api: ConfigApi): ServiceImpl<typeof ConfigService> {
  return withConnectErrors<typeof ConfigService>({
    getConfig(request, ctx) {
      const document = api.get(scopeFromProto(request.scope), callerFromHandler(ctx));
      return { document: documentToProto(document) };
    },
    getTenantConfig(request, ctx) {
      const tenantId = parseTenantId(request.tenantId);
      return { tenantConfig: tenantConfigToProto(api.tenantConfig(tenantId, callerFromHandler(ctx))) };
    },
    async putConfig(request, ctx) {
      const document = await api.put(writerOf(ctx), {
        scope: scopeFromProto(request.scope),
        config: request.config ?? {},
        subscriptionTier: tierFromProto(request.subscriptionTier, "subscription_tier"),
        expectedVersion: request.expectedVersion === undefined ? undefined : Number(request.expectedVersion),
      });
      return { document: documentToProto(document) };
    },
    async deleteConfig(request, ctx) {
      const expected = request.expectedVersion === undefined ? undefined : Number(request.expectedVersion);
      const version = await api.delete(writerOf(ctx), scopeFromProto(request.scope), expected);
      return { version: BigInt(version) };
    },
    getConfigHistory(request, ctx) {
      const documents = api.history(scopeFromProto(request.scope), callerFromHandler(ctx));
      return { documents: documents.map(documentToProto) };
    },
    async *watchConfig(request, ctx) {
      const events = api.watch(
        scopeFromProto(request.scope),
        request.effective,
        Number(request.fromVersion),
        callerFromHandler(ctx),
        ctx.signal,
      );
      for await (const event of events) yield watchEventToProto(event);
    },
  });
}

function writerOf(ctx: HandlerContext): ConfigWriter {
  return {
    caller: callerFromHandler(ctx),
    request: { headers: ctx.requestHeader, peer: ctx.values.get(peerKey) },
  };
}

function watchEventToProto(event: ConfigApiWatchEvent): WatchConfigResponse {
  const version = BigInt(event.version);
  if (event.value === undefined) return create(WatchConfigResponseSchema, { version, absent: true });
  return create(WatchConfigResponseSchema, {
    version,
    value:
      event.kind === "tenant"
        ? { case: "tenantConfig", value: tenantConfigToProto(event.value) }
        : { case: "document", value: documentToProto(event.value) },
  });
}
