"""Ask the hub grpc.health.v1.Health/Check for the hub itself ("") and for services by name.

Uses grpcio's generic unary_unary call with the two tiny messages encoded by hand, so nothing
is generated at run time and no grpc_health package is needed:
  HealthCheckRequest  { string service = 1; }
  HealthCheckResponse { ServingStatus status = 1; }   (0 UNKNOWN, 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN)

Prints one JSON line: {"target": ..., "results": [{"service": "", "status": "SERVING"},
{"service": "nope", "error": "NOT_FOUND", "details": "..."}]}. Exits 0 when every call got a
status or a definite error from the hub, 1 when the hub could not be reached or misbehaved.

    /usr/bin/python3 grpc_health_check.py --hub-url http://127.0.0.1:7000 --service "" --service data-bridge
"""

import argparse
import json
import os
import sys
from urllib.parse import urlparse

import grpc

METHOD = "/grpc.health.v1.Health/Check"
STATUS_NAMES = {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}
# Codes that mean "no real answer": the hub is down, slow or does not serve the method.
TRANSPORT_FAILURES = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED,
                      grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN}


def encode_varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_varint(data, pos):
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def encode_request(service):
    """HealthCheckRequest: field 1 (wire type 2, tag 0x0a); proto3 omits the empty string."""
    raw = service.encode("utf-8")
    return b"" if not raw else b"\x0a" + encode_varint(len(raw)) + raw


def decode_response(data):
    """HealthCheckResponse: field 1 is a varint enum; other fields are skipped, absent means 0."""
    status, pos = 0, 0
    while pos < len(data):
        key, pos = read_varint(data, pos)
        field, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, pos = read_varint(data, pos)
            if field == 1:
                status = value
        elif wire_type == 1:
            pos += 8
        elif wire_type == 2:
            length, pos = read_varint(data, pos)
            pos += length
        elif wire_type == 5:
            pos += 4
        else:
            raise ValueError(f"unsupported wire type {wire_type}")
    return status


def to_target(hub_url):
    parsed = urlparse(hub_url)
    return f"{parsed.hostname}:{parsed.port or 80}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub-url", default=os.environ.get("HUB_URL", "http://127.0.0.1:7000"))
    parser.add_argument("--service", action="append", help='service name; "" is the hub itself (repeatable)')
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args()
    services = args.service if args.service is not None else [""]

    target = to_target(args.hub_url)
    results = []
    ok = True
    # The hub is local; never route loopback traffic through an http_proxy from the environment.
    with grpc.insecure_channel(target, options=[("grpc.enable_http_proxy", 0)]) as channel:
        check = channel.unary_unary(METHOD, request_serializer=encode_request, response_deserializer=decode_response)
        for service in services:
            try:
                status = check(service, timeout=args.timeout)
                results.append({"service": service, "status": STATUS_NAMES.get(status, str(status))})
            except grpc.RpcError as error:
                code = error.code()
                results.append({"service": service, "error": code.name, "details": error.details()})
                if code in TRANSPORT_FAILURES:
                    ok = False
    print(json.dumps({"target": target, "method": METHOD, "results": results, "ok": ok}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
