import { describe, expect, it } from "vitest";
import type { InstanceRecord } from "./instance.js";
import { RecordInterner } from "./record-interner.js";

const stored = (id: string, extra: Partial<InstanceRecord> = {}): string =>
  JSON.stringify({
    id,
    name: "pricing",
    host: "10.0.0.1",
    port: 8080,
    protocol: "http",
    healthEndpoint: "/health",
    version: "1.2.0",
    zone: "eu-1",
    weight: 100,
    metadata: {},
    tags: [],
    tenantCapable: false,
    subscriptionRequirements: ["pro", "enterprise"],
    resourceTier: "basic",
    healthCheck: { disabled: false, intervalMs: 10_000, timeoutMs: 2_000, rise: 2, fall: 3, grpcService: "" },
    ttlMs: 30_000,
    deregisterCriticalAfterMs: 0,
    registeredAt: 1_764_806_400_000,
    removalLease: 7,
    ...extra,
  });

describe("RecordInterner", () => {
  it("shares what records have in common and serialises every record exactly as stored", () => {
    const interner = new RecordInterner();
    const texts = [stored("a"), stored("b"), stored("c", { metadata: { build: "42" }, tags: ["blue"] })];
    const records = texts.map((text, i) =>
      interner.intern(JSON.parse(text) as InstanceRecord, "pricing", ["a", "b", "c"][i]!),
    );
    for (const [i, record] of records.entries()) expect(JSON.stringify(record)).toBe(texts[i]);
    const [a, b, c] = records as [InstanceRecord, InstanceRecord, InstanceRecord];
    expect(a.healthCheck).toBe(b.healthCheck);
    expect(a.metadata).toBe(b.metadata);
    expect(a.subscriptionRequirements).toBe(c.subscriptionRequirements);
    expect(c.metadata).toEqual({ build: "42" });
    expect(Object.isFrozen(a.healthCheck)).toBe(true);
  });

  it("keeps a health check written with another key order as it was", () => {
    const interner = new RecordInterner();
    const usual = stored("a");
    const reordered = stored("b", {
      healthCheck: JSON.parse(
        '{"intervalMs":10000,"disabled":false,"timeoutMs":2000,"rise":2,"fall":3,"grpcService":""}',
      ),
    });
    const a = interner.intern(JSON.parse(usual) as InstanceRecord, "pricing", "a");
    const b = interner.intern(JSON.parse(reordered) as InstanceRecord, "pricing", "b");
    expect(JSON.stringify(b)).toBe(reordered);
    expect(a.healthCheck).not.toBe(b.healthCheck);
  });
});
