import { describe, expect, it } from "vitest";
import type { InstanceRecord } from "./instance.js";
import { RecordInterner } from "./record-interner.js";
import { decodeRecord, encodeRecord } from "./stored-record.js";

const plain: InstanceRecord = {
  id: "a",
  name: "pricing",
  host: "10.0.0.1",
  port: 8080,
  protocol: "http",
  healthEndpoint: "/health",
  version: "",
  zone: "",
  weight: 100,
  metadata: {},
  tags: [],
  tenantCapable: true,
  subscriptionRequirements: [],
  resourceTier: "basic",
  healthCheck: { disabled: false, intervalMs: 10_000, timeoutMs: 2_000, rise: 2, fall: 3, grpcService: "" },
  ttlMs: 30_000,
  deregisterCriticalAfterMs: 300_000,
  registeredAt: 1_764_806_400_000,
  removalLease: 7,
};

const unusual: InstanceRecord = {
  ...plain,
  id: "b",
  protocol: "grpc",
  healthEndpoint: "",
  version: "1.2.0",
  zone: "eu-1",
  weight: 5,
  metadata: { build: "42" },
  tags: ["blue"],
  tenantCapable: false,
  subscriptionRequirements: ["pro", "enterprise"],
  resourceTier: "premium",
  healthCheck: {
    disabled: true,
    intervalMs: 10_000,
    timeoutMs: 500,
    rise: 2,
    fall: 3,
    grpcService: "pricing.v1",
  },
  ttlMs: 5_000,
  deregisterCriticalAfterMs: 0,
};

describe("stored records", () => {
  it("round-trips every field, leaving out only what the key and the fixed defaults say", () => {
    const interner = new RecordInterner();
    expect(JSON.parse(encodeRecord(plain))).toEqual({
      host: "10.0.0.1",
      port: 8080,
      registeredAt: 1_764_806_400_000,
      removalLease: 7,
    });
    expect(decodeRecord(encodeRecord(plain), "pricing", "a", interner)).toEqual(plain);
    expect(decodeRecord(encodeRecord(unusual), "pricing", "b", interner)).toEqual(unusual);
    expect(JSON.parse(encodeRecord(unusual)).healthCheck).toEqual({
      disabled: true,
      timeoutMs: 500,
      grpcService: "pricing.v1",
    });
  });

  it("reads a record written whole, as earlier versions stored it", () => {
    const whole = JSON.stringify(unusual);
    expect(decodeRecord(whole, "pricing", "b", new RecordInterner())).toEqual(unusual);
  });

  it("encodes equal records to the same text whatever their key order", () => {
    const { removalLease, host, ...rest } = unusual;
    const reordered = { removalLease, ...rest, host };
    expect(encodeRecord(reordered)).toBe(encodeRecord(unusual));
  });

  it("shares common values between records and gives every record the same keys", () => {
    const interner = new RecordInterner();
    const a = decodeRecord(encodeRecord(plain), "pricing", "a", interner)!;
    const c = decodeRecord(encodeRecord({ ...plain, id: "c", port: 8081 }), "pricing", "c", interner)!;
    const b = decodeRecord(encodeRecord(unusual), "pricing", "b", interner)!;
    expect(a.healthCheck).toBe(c.healthCheck);
    expect(a.metadata).toBe(c.metadata);
    expect(Object.isFrozen(a.healthCheck)).toBe(true);
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(b.metadata).toEqual({ build: "42" });
  });

  it("refuses text that is not a record", () => {
    const interner = new RecordInterner();
    for (const text of ["", "{", "null", "[]", '{"host":"h"}', '{"host":"h","port":1,"registeredAt":1}'])
      expect(decodeRecord(text, "pricing", "a", interner)).toBeUndefined();
  });
});
