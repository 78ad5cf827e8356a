import type { SubscriptionTier } from "../../auth/tenant-context.js";
import {
  type ConfigDocument,
  type ConfigScope,
  globalScope,
  parseTenantId,
  parseTier,
  type TenantConfig,
} from "../../config/index.js";
import { invalidArgument } from "../../errors/hub-error.js";
import type { ConfigApi, ConfigWriter } from "../config-api.js";
import { requireCaller } from "../request-context.js";
import { readJsonBody, sendJson } from "./json-io.js";
import type { RestContext, RestRoute } from "./rest-router.js";

/**
 * The plain JSON config paths (API.md "Config"): `/config/global`, `/config/tiers/{tier}` and
 * `/config/{tenant_id}`, each with GET, PUT, DELETE and `/history`. A tenant's GET answers its
 * effective config in the shape services already read; `/overrides` is its stored document.
 */
export function configRoutes(api: ConfigApi, maxBodyBytes: number): RestRoute[] {
  const segment = "([^/]+)";
  const scopes: Array<{ path: string; scope: (params: readonly string[]) => ConfigScope }> = [
    { path: "global", scope: () => globalScope },
    { path: `tiers/${segment}`, scope: (params) => ({ kind: "tier", tier: parseTier(params[0], "tier") }) },
    { path: segment, scope: (params) => ({ kind: "tenant", tenantId: parseTenantId(params[0]!) }) },
  ];
  const routes: RestRoute[] = [];
  for (const { path, scope } of scopes) {
    const at = (suffix: string) => new RegExp(`^/config/${path}${suffix}/?$`);
    routes.push(
      {
        method: "GET",
        pattern: at("/history"),
        handler: ({ res, params, caller }) => {
          const versions = api.history(scope(params), requireCaller(caller));
          sendJson(res, 200, { versions: versions.map(documentToJson) });
        },
      },
      {
        method: "GET",
        pattern: at(""),
        handler: ({ res, params, caller }) => {
          const target = scope(params);
          const answer =
            target.kind === "tenant"
              ? tenantConfigToJson(api.tenantConfig(target.tenantId, requireCaller(caller)))
              : documentToJson(api.get(target, requireCaller(caller)));
          sendJson(res, 200, answer);
        },
      },
      {
        method: "PUT",
        pattern: at(""),
        handler: async (ctx) => {
          const target = scope(ctx.params);
          api.authorizeWrite(writerOf(ctx)); // before the body: no validation answers for strangers
          const body = parsePutBody(await readJsonBody(ctx.req, maxBodyBytes), target);
          sendJson(res(ctx), 200, documentToJson(await api.put(writerOf(ctx), { scope: target, ...body })));
        },
      },
      {
        method: "DELETE",
        pattern: at(""),
        handler: async (ctx) => {
          const expected = ctx.query.get("expected_version");
          const version = await api.delete(
            writerOf(ctx),
            scope(ctx.params),
            expected === null ? undefined : parseVersion(expected),
          );
          sendJson(ctx.res, 200, { version });
        },
      },
    );
  }
  routes.push({
    method: "GET",
    pattern: new RegExp(`^/config/${segment}/overrides/?$`),
    handler: ({ res, params, caller }) => {
      const tenantId = parseTenantId(params[0]!);
      sendJson(res, 200, documentToJson(api.get({ kind: "tenant", tenantId }, requireCaller(caller))));
    },
  });
  return routes;
}

const res = (ctx: RestContext) => ctx.res;

function writerOf(ctx: RestContext): ConfigWriter {
  return {
    caller: requireCaller(ctx.caller),
    request: { headers: ctx.req.headers, peer: { remoteAddress: ctx.req.socket?.remoteAddress } },
  };
}

/** `{"config": {...}, "subscription_tier": "pro", "expected_version": 12}`; unknown fields are refused. */
function parsePutBody(
  body: unknown,
  scope: ConfigScope,
): { config: unknown; subscriptionTier?: SubscriptionTier; expectedVersion?: number } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidArgument("body", "must be a JSON object");
  }
  const fields = body as Record<string, unknown>;
  const allowed =
    scope.kind === "tenant"
      ? ["config", "subscription_tier", "expected_version"]
      : ["config", "expected_version"];
  const unknown = Object.keys(fields).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw invalidArgument(unknown, `unknown field (allowed: ${allowed.join(", ")})`);
  if (fields.config === undefined) throw invalidArgument("config", "is required");
  return {
    config: fields.config,
    ...(fields.subscription_tier === undefined || fields.subscription_tier === null
      ? {}
      : { subscriptionTier: parseTier(fields.subscription_tier) }),
    ...(fields.expected_version === undefined || fields.expected_version === null
      ? {}
      : { expectedVersion: parseVersion(fields.expected_version) }),
  };
}

function parseVersion(value: unknown): number {
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number < 0) {
    throw invalidArgument("expected_version", "must be a whole number >= 0");
  }
  return number;
}

/** A stored document: which scope, its config and version. */
export function documentToJson(document: ConfigDocument): Record<string, unknown> {
  const { scope } = document;
  return {
    scope: scope.kind,
    ...(scope.kind === "tier" ? { tier: scope.tier } : {}),
    ...(scope.kind === "tenant"
      ? { tenant_id: scope.tenantId, subscription_tier: document.subscriptionTier }
      : {}),
    config: document.config,
    version: document.version,
    updated_at: document.updatedAt === undefined ? null : new Date(document.updatedAt).toISOString(),
  };
}

/** The seed's `GET /config/{tenant_id}` shape, plus the version. */
export function tenantConfigToJson(value: TenantConfig): Record<string, unknown> {
  return {
    tenant_id: value.tenantId,
    subscription_tier: value.subscriptionTier,
    config: value.config,
    version: value.version,
  };
}
