import { type HubClient, HubRequestError, type TenantContext, tenantHeaders } from "../shared/index.js";

/** One downstream call, reported back to the client so it can see who was called where. */
export interface CallRecord {
  service: string;
  /** The endpoint the hub recommended; the call went there directly, not through the hub. */
  endpoint: string;
  url: string;
  status: number;
  /** Every healthy endpoint the hub listed, for seeing which instances were in rotation. */
  healthy_endpoints: string[];
}

/** A downstream service could not be found or reached; `status` is what the order answers. */
export class DownstreamError extends Error {
  override readonly name = "DownstreamError";

  constructor(
    readonly status: 502 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** What {@link callDirect} sends. */
export interface DirectCall {
  service: string;
  method: "GET" | "POST";
  path: string;
  body?: unknown;
}

const CALL_TIMEOUT_MS = 3000;

/**
 * Asks the hub where `service` is, then calls it directly at the recommended endpoint,
 * forwarding the tenant headers on both hops (the hub filters by tier; the service applies
 * tenant limits). The hub only answers "where"; the business request never passes through it.
 * @throws DownstreamError 503 when there is no healthy instance, 502 when the call fails.
 */
export async function callDirect(
  hub: HubClient,
  tenant: TenantContext,
  call: DirectCall,
): Promise<{ record: CallRecord; body: unknown }> {
  const headers = tenantHeaders(tenant);
  let endpoint: string;
  let healthy: string[];
  try {
    const discovery = await hub.discover(call.service, headers);
    if (!discovery.healthy_available || discovery.recommended_endpoint === "") {
      throw new DownstreamError(503, `${call.service}: no healthy instance (${discovery.message})`);
    }
    endpoint = discovery.recommended_endpoint;
    healthy = discovery.all_healthy_endpoints;
  } catch (error) {
    if (error instanceof HubRequestError) throw new DownstreamError(503, `${call.service}: ${error.message}`);
    throw error;
  }

  const url = `${endpoint.replace(/\/+$/, "")}${call.path}`;
  const init: RequestInit = { method: call.method, headers, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) };
  if (call.body !== undefined) {
    init.headers = { ...headers, "content-type": "application/json" };
    init.body = JSON.stringify(call.body);
  }
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (cause) {
    throw new DownstreamError(502, `${call.service}: ${call.method} ${url} failed: ${String(cause)}`);
  }
  const text = await response.text();
  if (!response.ok)
    throw new DownstreamError(502, `${call.service}: ${call.method} ${url} answered ${response.status}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DownstreamError(502, `${call.service}: ${call.method} ${url} answered non-JSON`);
  }
  return {
    record: { service: call.service, endpoint, url, status: response.status, healthy_endpoints: healthy },
    body,
  };
}
