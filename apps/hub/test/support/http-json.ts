/** An instance as the plain JSON API shows it (API.md "Instances"). */
export interface InstanceJson {
  id: string;
  name: string;
  host: string;
  port: number;
  protocol: string;
  endpoint: string;
  health_endpoint: string;
  version: string;
  zone: string;
  weight: number;
  metadata: Record<string, string>;
  tags: string[];
  tenant_capable: boolean;
  subscription_requirements: string[];
  resource_tier: string;
  status: "healthy" | "degraded" | "unhealthy" | "unknown";
  status_message: string;
  load: number;
  registered_at: string;
  last_heartbeat_at: string | null;
  lease_expires_at: string;
  ttl_seconds: number;
  deregister_critical_after_seconds: number;
  health_check: {
    disabled: boolean;
    interval_seconds: number;
    timeout_seconds: number;
    rise: number;
    fall: number;
    grpc_service: string;
  };
  last_check: {
    passing: boolean;
    status: string;
    message: string;
    latency_ms: number;
    checked_at: string;
    consecutive_successes: number;
    consecutive_failures: number;
  } | null;
}

/** A service as `GET /services/` and `GET /services/{name}` show it. */
export interface ServiceJson {
  name: string;
  status: string;
  healthy_count: number;
  instance_count: number;
  subscription_requirements: string[];
  instances: InstanceJson[];
}

/** The answer of discovery (API.md "Discovery"). */
export interface DiscoverJson {
  service_name: string;
  recommended_endpoint: string;
  all_healthy_endpoints: string[];
  confidence: number;
  connection_type: string;
  healthy_available: boolean;
  message: string;
  recommended: { instance_id: string; url: string; status: string } | null;
  endpoints: Array<{ instance_id: string; url: string; status: string }>;
}

/** The platform's standard health format (API.md "Health"). */
export interface HealthReportJson {
  service_name: string;
  status: string;
  timestamp: string;
  version: string;
  uptime_seconds: number;
  performance_metrics: { response_time_ms: number; throughput_rps: number; error_rate_percent: number };
  system_resources: { cpu_usage_percent: number; memory_usage_mb: number; disk_usage_percent: number };
  dependencies: Record<string, string>;
  tenant_context: { active_tenants: number; tenant_isolation_status: string };
}

/** Every error body of the JSON API. */
export interface ErrorJson {
  error: { code: string; message: string; field?: string };
}

export interface JsonAnswer<T> {
  status: number;
  headers: Headers;
  /** The parsed body; undefined when the body is empty. */
  body: T;
}

export interface JsonRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON with content-type application/json. */
  json?: unknown;
  /** Sent as is, with the content-type from `headers` or none at all. */
  raw?: string;
}

/**
 * One plain HTTP request with fetch. The body type is what API.md promises, not checked at run
 * time: the assertions on its fields are what check it.
 */
export async function requestJson<T>(url: string, request: JsonRequest = {}): Promise<JsonAnswer<T>> {
  const headers: Record<string, string> = { ...request.headers };
  // An untyped Blob, because fetch labels a string body text/plain when no content-type is given.
  let body: Blob | undefined = request.raw === undefined ? undefined : new Blob([request.raw]);
  if (request.json !== undefined) {
    headers["content-type"] ??= "application/json";
    body = new Blob([JSON.stringify(request.json)]);
  }
  const response = await fetch(url, {
    method: request.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await response.text();
  const contentType = response.headers.get("content-type") ?? "";
  const parsed =
    text !== "" && contentType.includes("json") ? JSON.parse(text) : text === "" ? undefined : text;
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** `POST /services/register` with the given body; returns the answer as is. */
export function registerJson(
  hubUrl: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return requestJson<InstanceJson & ErrorJson>(`${hubUrl}/services/register`, { json: body, headers });
}

/** `POST /services/register`, failing unless the hub answers 200 or 201. */
export async function mustRegisterJson(hubUrl: string, body: Record<string, unknown>): Promise<InstanceJson> {
  const answer = await registerJson(hubUrl, body);
  if (answer.status !== 200 && answer.status !== 201) {
    throw new Error(`register answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/** `GET /services/{name}?legacy_mode=true`: the service's instances, or undefined on 404. */
export async function getServiceJson(hubUrl: string, name: string): Promise<ServiceJson | undefined> {
  const answer = await requestJson<ServiceJson>(`${hubUrl}/services/${name}?legacy_mode=true`);
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new Error(`GET /services/${name} answered ${answer.status}`);
  return answer.body;
}

/** The status of one instance as `GET /services/{name}` reports it ("absent" when not listed). */
export async function instanceStatus(hubUrl: string, name: string, id: string): Promise<string> {
  const service = await getServiceJson(hubUrl, name);
  return service?.instances.find((i) => i.id === id)?.status ?? "absent";
}
