import { grpcUnary } from "./grpc-call.mjs";
import {
  CONNECT_JSON_HEADERS,
  CONNECT_PROTO_HEADERS,
  DISCOVER_PATH,
  discoverBinary,
  discoverJson,
} from "./wire.mjs";

/** Registers one instance through the plain JSON path (setup, not measured). */
export async function registerOne(baseUrl, body) {
  const res = await fetch(`${baseUrl}/services/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`register ${body.name}/${body.id}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** The exact bytes the hub answers to Discover(`name`) in each of its encodings. */
export async function fetchDiscoverAnswers(baseUrl, name) {
  const post = async (headers, body) => {
    const res = await fetch(`${baseUrl}${DISCOVER_PATH}`, { method: "POST", headers, body });
    if (!res.ok) throw new Error(`Discover ${name}: HTTP ${res.status} ${await res.text()}`);
    return Buffer.from(await res.arrayBuffer());
  };
  const rest = await fetch(`${baseUrl}/services/discover/${name}`);
  if (!rest.ok) throw new Error(`GET /services/discover/${name}: HTTP ${rest.status}`);
  return {
    connectProto: await post(CONNECT_PROTO_HEADERS, discoverBinary(name)),
    connectJson: await post(CONNECT_JSON_HEADERS, discoverJson(name)),
    rest: Buffer.from(await rest.arrayBuffer()),
    grpc: await grpcUnary(baseUrl, DISCOVER_PATH, discoverBinary(name)),
  };
}

/** Polls `url` until it answers 2xx; resolves with the time it took (ms), rejects after `timeoutMs`. */
export async function waitServing(url, timeoutMs = 60_000) {
  const started = performance.now();
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return performance.now() - started;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} not serving after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
