import { AsyncLocalStorage } from "node:async_hooks";
import { type Logger, pino } from "pino";
import type { TenantContext } from "./tenant-context.js";

/** What code running on behalf of a request can reach without passing it along. */
export interface RequestScope {
  readonly tenant: TenantContext;
  /** A child of the service's logger bound to the request's correlation id and tenant. */
  readonly logger: Logger;
}

interface ScopeState {
  readonly storage: AsyncLocalStorage<RequestScope>;
  fallbackLogger: Logger | undefined;
}

// Kept on globalThis under a registered symbol: if both the ESM and the CJS build of this package
// end up loaded in one process, they must still share one store, or a request's tenant would be
// invisible to code that imported the other build.
const stateKey = Symbol.for("@hub/base-service.request-scope");
const shared = globalThis as Record<symbol, ScopeState | undefined>;
const state: ScopeState = shared[stateKey] ?? {
  storage: new AsyncLocalStorage<RequestScope>(),
  fallbackLogger: undefined,
};
shared[stateKey] = state;

/**
 * The tenant of the request being handled, through every `await`, timer and callback it started;
 * undefined outside a request (and outside {@link runWithTenant}).
 */
export function currentTenant(): TenantContext | undefined {
  return state.storage.getStore()?.tenant;
}

/**
 * The logger to use here: inside a request, its child logger (every line carries `correlation_id`
 * and the tenant); outside, the logger of the most recently started service, else a plain pino logger.
 */
export function logger(): Logger {
  const scope = state.storage.getStore();
  if (scope !== undefined) return scope.logger;
  state.fallbackLogger ??= pino({ level: "info" });
  return state.fallbackLogger;
}

/**
 * Runs `fn` as if on behalf of `tenant`: `currentTenant()`, `logger()`, `outgoingHeaders()` and
 * `tenantFetch` see it. For work that does not start from a request, e.g. a queue consumer.
 * `log` defaults to a child of {@link logger}() bound to the tenant.
 */
export function runWithTenant<T>(tenant: TenantContext, fn: () => T, log?: Logger): T {
  return state.storage.run({ tenant, logger: log ?? logger().child(tenantLogBindings(tenant)) }, fn);
}

/** Runs `fn` in a request's scope. @internal */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return state.storage.run(scope, fn);
}

/** Makes `log` what {@link logger} returns outside a request; returns a function that undoes it. @internal */
export function setFallbackLogger(log: Logger): () => void {
  const previous = state.fallbackLogger;
  state.fallbackLogger = log;
  return () => {
    if (state.fallbackLogger === log) state.fallbackLogger = previous;
  };
}

/** The fields a request's log lines carry (snake_case, as the platform's other logs). @internal */
export function tenantLogBindings(tenant: TenantContext): Record<string, string> {
  const bindings: Record<string, string> = { correlation_id: tenant.correlationId };
  if (tenant.companyId !== undefined) bindings.company_id = tenant.companyId;
  if (tenant.userId !== undefined) bindings.user_id = tenant.userId;
  if (tenant.subscriptionTier !== undefined) bindings.subscription_tier = tenant.subscriptionTier;
  return bindings;
}
