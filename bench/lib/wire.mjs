import { toBinary, create } from "@bufbuild/protobuf";
import { DiscoverRequestSchema } from "@hub/proto";

/** Names the suite registers: service `svc-<k>`, instance `i-<n>`, `perService` instances each. */
export const serviceName = (n, perService) => `svc-${Math.floor(n / perService)}`;
export const instanceId = (n) => `i-${n}`;

export const DISCOVER_PATH = "/hub.v1.DiscoveryService/Discover";
export const ETCD_RANGE_PATH = "/etcdserverpb.KV/Range";
export const ETCD_PUT_PATH = "/etcdserverpb.KV/Put";

/** A Discover request as protobuf bytes. */
export function discoverBinary(name) {
  return Buffer.from(toBinary(DiscoverRequestSchema, create(DiscoverRequestSchema, { name })));
}

/** A Discover request as Connect JSON. */
export function discoverJson(name) {
  return Buffer.from(JSON.stringify({ name }));
}

/** A gRPC length-prefixed message (uncompressed). */
export function grpcFrame(message) {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
}

/** Strips the 5-byte gRPC frame header of the first message. */
export function grpcUnframe(frame) {
  return frame.subarray(5, 5 + frame.readUInt32BE(1));
}

/** Protobuf bytes field: tag, varint length, bytes. */
function bytesField(field, value) {
  return Buffer.concat([Buffer.from([(field << 3) | 2]), varint(value.length), value]);
}

function varint(n) {
  const out = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** etcdserverpb.RangeRequest for every key under `prefix` (field 1 key, field 2 range_end). */
export function etcdRangeRequest(prefix) {
  const key = Buffer.from(prefix);
  const end = Buffer.from(key);
  end[end.length - 1]++;
  return Buffer.concat([bytesField(1, key), bytesField(2, end)]);
}

/** etcdserverpb.PutRequest (field 1 key, field 2 value). */
export function etcdPutRequest(key, value) {
  return Buffer.concat([bytesField(1, Buffer.from(key)), bytesField(2, Buffer.from(value))]);
}

/** A pre-encoded HTTP/1.1 keep-alive request. */
export function http1Request(method, path, headers = {}, body = undefined) {
  const lines = [`${method} ${path} HTTP/1.1`, "host: 127.0.0.1"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`content-length: ${body.length}`);
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  return body === undefined ? head : Buffer.concat([head, body]);
}

/** HTTP headers of a gRPC unary call. */
export function grpcHeaders(path) {
  return { ":method": "POST", ":path": path, "content-type": "application/grpc+proto", te: "trailers" };
}

export const CONNECT_PROTO_HEADERS = { "content-type": "application/proto", "connect-protocol-version": "1" };
export const CONNECT_JSON_HEADERS = { "content-type": "application/json", "connect-protocol-version": "1" };
