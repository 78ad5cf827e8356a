/** An instance as the hub's JSON API shows it (API.md "Instances"); only fields the tests read. */
export interface InstanceView {
  id: string;
  name: string;
  host: string;
  port: number;
  endpoint: string;
  status: "healthy" | "degraded" | "unhealthy" | "unknown";
  registered_at: string;
  subscription_requirements: string[];
}

/** A service as `GET /services/` and `GET /services/{name}` show it. */
export interface ServiceView {
  name: string;
  status: string;
  healthy_count: number;
  instance_count: number;
  subscription_requirements: string[];
  instances: InstanceView[];
}

/** The answer of `GET /services/discover/{name}` (API.md "Discovery"). */
export interface DiscoveryView {
  service_name: string;
  recommended_endpoint: string;
  all_healthy_endpoints: string[];
  confidence: number;
  connection_type: string;
  healthy_available: boolean;
  message: string;
}

/** A response: status plus JSON body (undefined when empty). */
export interface JsonAnswer<T> {
  status: number;
  body: T;
}

/**
 * Calls a JSON endpoint. The body type is what API.md promises, not checked at run time:
 * assertions on the fields are what check it.
 */
export async function requestJson<T>(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<JsonAnswer<T>> {
  const init: RequestInit = { method, headers: options.headers ?? {}, signal: AbortSignal.timeout(5_000) };
  if (options.body !== undefined) {
    init.headers = { ...options.headers, "content-type": "application/json" };
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: (text === "" ? undefined : JSON.parse(text)) as T };
}

/** `GET url` as JSON. */
export function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
  return requestJson<T>("GET", url, { headers });
}

/** Tenant headers of a company on the given tier, as an API gateway would forward them. */
export function tenant(tier: "free" | "pro" | "enterprise"): Record<string, string> {
  return { "x-company-id": `company-${tier}`, "x-user-id": `user-${tier}`, "x-subscription-tier": tier };
}

/** `GET /services/?legacy_mode=true`: every service, whatever its tier requirements. */
export async function listAllServices(hubUrl: string): Promise<ServiceView[]> {
  const answer = await getJson<{ services: ServiceView[] }>(`${hubUrl}/services/?legacy_mode=true`);
  if (answer.status !== 200) throw new Error(`GET /services/ answered ${answer.status}`);
  return answer.body.services;
}

/** Resolves once `name` has exactly `count` instances, all healthy; for use inside waitFor. */
export async function healthyService(
  hubUrl: string,
  name: string,
  count: number,
): Promise<ServiceView | undefined> {
  const service = (await listAllServices(hubUrl)).find((s) => s.name === name);
  if (service === undefined || service.instance_count !== count || service.healthy_count !== count)
    return undefined;
  return service;
}
