import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  MessageEnvelopeSchema,
  TickDataSchema,
  TradingSignalSchema,
  UserContextSchema,
} from "../src/aitrading.js";
import { ConfigService, DiscoveryService, Health, RegistryService } from "../src/index.js";

describe("aitrading.common.v1.MessageEnvelope", () => {
  it("has exactly the field numbers and types services already exchange", () => {
    const fields = MessageEnvelopeSchema.fields.map((f) => [
      f.number,
      f.name,
      f.fieldKind,
      f.fieldKind === "scalar" ? f.scalar : undefined,
    ]);
    expect(fields).toEqual([
      [1, "message_type", "scalar", 9], // string
      [2, "user_id", "scalar", 9],
      [3, "payload", "scalar", 12], // bytes
      [4, "timestamp", "scalar", 3], // int64
      [5, "service_source", "scalar", 9],
      [6, "correlation_id", "scalar", 9],
    ]);
  });

  it("encodes to the bytes any protobuf implementation produces for the same envelope", () => {
    const envelope = create(MessageEnvelopeSchema, {
      messageType: "tick",
      userId: "u1",
      payload: new Uint8Array([1, 2]),
      timestamp: 300n,
      serviceSource: "db",
      correlationId: "c",
    });
    // Tag bytes: (field << 3) | wire type; 300 as a varint is ac 02.
    const expected = [
      0x0a,
      4,
      ...Buffer.from("tick"),
      0x12,
      2,
      ...Buffer.from("u1"),
      0x1a,
      2,
      1,
      2,
      0x20,
      0xac,
      0x02,
      0x2a,
      2,
      ...Buffer.from("db"),
      0x32,
      1,
      ...Buffer.from("c"),
    ];
    expect([...toBinary(MessageEnvelopeSchema, envelope)]).toEqual(expected);
    expect(fromBinary(MessageEnvelopeSchema, new Uint8Array(expected))).toEqual(envelope);
  });
});

describe("business schemas", () => {
  it.each([
    [TickDataSchema, "aitrading.common.v1.TickData"],
    [UserContextSchema, "aitrading.common.v1.UserContext"],
    [TradingSignalSchema, "aitrading.trading.v1.TradingSignal"],
  ])("exports %s under its package", (schema, typeName) => {
    expect(schema.typeName).toBe(typeName);
  });
});

describe("hub.v1 services", () => {
  it("expose the registry, discovery and standard health methods", () => {
    expect(Object.keys(RegistryService.method)).toEqual([
      "register",
      "deregister",
      "heartbeat",
      "listServices",
      "getService",
    ]);
    expect(DiscoveryService.method.watchServices.methodKind).toBe("server_streaming");
    expect(Health.typeName).toBe("grpc.health.v1.Health");
  });

  it("expose the config service, with Struct bodies as plain JSON objects and a watch stream", () => {
    expect(Object.keys(ConfigService.method)).toEqual([
      "getConfig",
      "getTenantConfig",
      "putConfig",
      "deleteConfig",
      "getConfigHistory",
      "watchConfig",
    ]);
    expect(ConfigService.method.watchConfig.methodKind).toBe("server_streaming");
    expect(ConfigService.method.getConfig.idempotency).toBe(1); // NO_SIDE_EFFECTS
    expect(ConfigService.method.putConfig.idempotency).toBe(2); // IDEMPOTENT
  });
});
