import { HubRequestError } from "./hub-request-error.js";
import { isJsonObject, type JsonObject, stringArrayField, stringField } from "./json.js";

/** The body of `POST /services/register` (API.md "Instances"); only `name`, `host`, `port` are required. */
export interface RegisterRequest {
  name: string;
  host: string;
  port: number;
  protocol?: "http" | "https" | "grpc" | "h2c" | "tcp";
  health_endpoint?: string;
  id?: string;
  version?: string;
  metadata?: Record<string, string>;
  tags?: string[];
  tenant_capable?: boolean;
  subscription_requirements?: string[];
  resource_tier?: "basic" | "premium" | "enterprise";
  ttl_seconds?: number;
}

/** The fields of a registered instance the examples rely on. */
export interface RegisteredInstance {
  id: string;
  name: string;
  endpoint: string;
}

/** The fields of a discovery answer (API.md "Discovery") the examples rely on. */
export interface Discovery {
  service_name: string;
  recommended_endpoint: string;
  all_healthy_endpoints: string[];
  healthy_available: boolean;
  message: string;
}

/** The hub's plain JSON API, as a service uses it to register itself and find others. */
export interface HubClient {
  readonly baseUrl: string;
  /** Registers (or updates) an instance. @throws HubRequestError */
  register(request: RegisterRequest): Promise<RegisteredInstance>;
  /** Renews the lease; `"unknown"` when the hub has forgotten the instance. @throws HubRequestError */
  heartbeat(name: string, id: string): Promise<"renewed" | "unknown">;
  /** Removes the instance; an instance the hub does not know counts as removed. @throws HubRequestError */
  deregister(name: string, id: string): Promise<void>;
  /** Asks where a service is, as the given tenant. @throws HubRequestError (`not_found` for 404) */
  discover(name: string, headers: Record<string, string>): Promise<Discovery>;
}

interface HubAnswer {
  status: number;
  body: unknown;
}

function errorMessage(answer: HubAnswer): string {
  if (isJsonObject(answer.body) && isJsonObject(answer.body.error)) {
    return stringField(answer.body.error, "message") ?? `hub answered ${answer.status}`;
  }
  return `hub answered ${answer.status}`;
}

function failure(what: string, answer: HubAnswer): HubRequestError {
  const code = answer.status === 404 ? "not_found" : "rejected";
  return new HubRequestError(code, answer.status, `${what}: ${errorMessage(answer)}`);
}

function asRegisteredInstance(body: unknown): RegisteredInstance {
  const id = isJsonObject(body) ? stringField(body, "id") : undefined;
  const name = isJsonObject(body) ? stringField(body, "name") : undefined;
  const endpoint = isJsonObject(body) ? stringField(body, "endpoint") : undefined;
  if (id === undefined || name === undefined || endpoint === undefined) {
    throw new HubRequestError("bad_response", 200, "register: answer lacks id, name or endpoint");
  }
  return { id, name, endpoint };
}

function asDiscovery(body: JsonObject): Discovery {
  const serviceName = stringField(body, "service_name");
  const recommended = stringField(body, "recommended_endpoint");
  const healthy = stringArrayField(body, "all_healthy_endpoints");
  if (serviceName === undefined || recommended === undefined || healthy === undefined) {
    throw new HubRequestError("bad_response", 200, "discover: answer lacks the discovery fields");
  }
  return {
    service_name: serviceName,
    recommended_endpoint: recommended,
    all_healthy_endpoints: healthy,
    healthy_available: body.healthy_available === true,
    message: stringField(body, "message") ?? "",
  };
}

/**
 * Creates a client for the hub at `baseUrl` (for example `http://127.0.0.1:7000`).
 * Each call gives up after `timeoutMs` (default 2000) so a hung hub never hangs a service.
 */
export function createHubClient(baseUrl: string, timeoutMs = 2000): HubClient {
  const root = baseUrl.replace(/\/+$/, "");

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
    if (body !== undefined) {
      init.headers = { ...headers, "content-type": "application/json" };
      init.body = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, init);
    } catch (cause) {
      throw new HubRequestError("unavailable", 0, `${method} ${path}: hub unreachable at ${root}`, { cause });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed } satisfies HubAnswer;
  }

  const instancePath = (name: string, id: string) =>
    `/services/${encodeURIComponent(name)}/instances/${encodeURIComponent(id)}`;

  return {
    baseUrl: root,
    async register(request) {
      const answer = await call("POST", "/services/register", request);
      if (answer.status !== 200 && answer.status !== 201) throw failure("register", answer);
      return asRegisteredInstance(answer.body);
    },
    async heartbeat(name, id) {
      const answer = await call("PUT", `${instancePath(name, id)}/heartbeat`, {});
      if (answer.status === 404) return "unknown";
      if (answer.status !== 200) throw failure("heartbeat", answer);
      return "renewed";
    },
    async deregister(name, id) {
      const answer = await call("DELETE", instancePath(name, id));
      if (answer.status !== 204 && answer.status !== 200 && answer.status !== 404)
        throw failure("deregister", answer);
    },
    async discover(name, headers) {
      const answer = await call("GET", `/services/discover/${encodeURIComponent(name)}`, undefined, headers);
      if (answer.status !== 200 || !isJsonObject(answer.body)) throw failure(`discover ${name}`, answer);
      return asDiscovery(answer.body);
    },
  };
}
