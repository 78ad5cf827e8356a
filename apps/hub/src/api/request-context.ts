import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import { type Audience, everyone } from "../discovery/audience.js";
import type { HubError } from "../errors/hub-error.js";
import type { CallerPeer, TenantContext } from "../auth/tenant-context.js";

/** Who is calling, as the auth layer decided once per request. */
export type CallerContext = TenantContext;

/** The caller, or why its tenant headers were refused (reported when a handler needs them). */
export type ResolvedCaller =
  | { readonly ok: true; readonly caller: CallerContext }
  | { readonly ok: false; readonly error: HubError; readonly correlationId: string };

/** @internal Carries the resolved caller from the HTTP layer into Connect handlers. */
export const callerKey = createContextKey<ResolvedCaller | undefined>(undefined, {
  description: "hub caller",
});

/** The request's correlation id, whether or not its tenant headers were accepted. */
export function correlationIdOfCaller(resolved: ResolvedCaller): string {
  return resolved.ok ? resolved.caller.correlationId : resolved.correlationId;
}

export function requireCaller(resolved: ResolvedCaller | undefined): CallerContext {
  if (!resolved) throw new Error("request context missing: the HTTP layer must resolve the caller");
  if (!resolved.ok) throw resolved.error;
  return resolved.caller;
}

export function callerFromHandler(ctx: HandlerContext): CallerContext {
  return requireCaller(ctx.values.get(callerKey));
}

/**
 * Which part of the registry a caller sees. Callers without tenant context, or trusted ones
 * asking for legacy mode, see every service (as services did before tiers existed); callers
 * with a tier see what that tier admits. The auth layer has already demoted untrusted callers
 * to the free tier, so legacy mode is honoured only for trusted ones.
 */
export function audienceOf(caller: CallerContext, legacyMode: boolean): Audience {
  if (caller.trusted && (legacyMode || caller.tier === undefined)) return everyone;
  return { kind: "tier", tier: caller.tier ?? "free" };
}

/** @internal The network peer of a Connect request (handlers cannot see the socket otherwise). */
export const peerKey = createContextKey<CallerPeer>(
  { remoteAddress: undefined },
  { description: "hub caller's network peer" },
);
