import {
  CONNECT_JSON_HEADERS,
  CONNECT_PROTO_HEADERS,
  DISCOVER_PATH,
  discoverBinary,
  discoverJson,
  grpcFrame,
  grpcHeaders,
  http1Request,
  instanceId,
  serviceName,
} from "../lib/wire.mjs";

/**
 * Builds a workload's requests inside the load generator (so 100k bodies never cross argv).
 * HTTP/1.1 workloads give pre-encoded request bytes; h2 workloads give { headers, body }.
 * @param {Record<string, any>} spec
 * @returns {{ transport: "http1", requests: Buffer[] } | { transport: "h2", requests: { headers: object, body: Buffer }[] }}
 */
export function buildWorkload(spec) {
  switch (spec.kind) {
    case "grpc":
      return {
        transport: "h2",
        requests: [{ headers: grpcHeaders(spec.path), body: grpcFrame(Buffer.from(spec.message, "base64")) }],
      };
    case "discover":
      return discover(spec);
    case "register":
      return { transport: "http1", requests: range(spec.from, spec.count, (n) => register(spec, n)) };
    case "heartbeat":
      return {
        transport: "http1",
        requests: range(spec.from, spec.count, (n) =>
          http1Request(
            "PUT",
            `/services/${serviceName(n, spec.perService)}/instances/${instanceId(n)}/heartbeat`,
            { "content-type": "application/json" },
            Buffer.from('{"load":0.5}'),
          ),
        ),
      };
    default:
      throw new Error(`unknown workload ${spec.kind}`);
  }
}

/** Discover, rotating over `services` service names, in one of the hub's encodings. */
function discover({ encoding, services }) {
  const names = range(0, services, (k) => `svc-${k}`);
  switch (encoding) {
    case "connect-proto":
      return {
        transport: "http1",
        requests: names.map((name) =>
          http1Request("POST", DISCOVER_PATH, CONNECT_PROTO_HEADERS, discoverBinary(name)),
        ),
      };
    case "connect-json":
      return {
        transport: "http1",
        requests: names.map((name) =>
          http1Request("POST", DISCOVER_PATH, CONNECT_JSON_HEADERS, discoverJson(name)),
        ),
      };
    case "rest":
      return {
        transport: "http1",
        requests: names.map((name) => http1Request("GET", `/services/discover/${name}`)),
      };
    case "grpc":
      return {
        transport: "h2",
        requests: names.map((name) => ({
          headers: grpcHeaders(DISCOVER_PATH),
          body: grpcFrame(discoverBinary(name)),
        })),
      };
    default:
      throw new Error(`unknown discover encoding ${encoding}`);
  }
}

/** POST /services/register for instance n. */
function register(spec, n) {
  const body = {
    name: serviceName(n, spec.perService),
    id: instanceId(n),
    host: "127.0.0.1",
    port: spec.ports ? spec.ports[n % spec.ports.length] : 10_000 + (n % 50_000),
    protocol: "http",
    health_endpoint: "/health",
    ttl_seconds: spec.ttlSeconds ?? 3600,
    health_check: spec.healthCheck ?? { disabled: true },
  };
  return http1Request(
    "POST",
    "/services/register",
    { "content-type": "application/json" },
    Buffer.from(JSON.stringify(body)),
  );
}

function range(from, count, fn) {
  const out = new Array(count);
  for (let i = 0; i < count; i++) out[i] = fn(from + i);
  return out;
}
