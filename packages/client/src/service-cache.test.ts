import { create } from "@bufbuild/protobuf";
import {
  InstanceChange_Kind,
  InstanceChangeSchema,
  InstanceStatus,
  type ServiceInstance,
  ServiceInstanceSchema,
  ServiceSchema,
} from "@hub/proto";
import { describe, expect, it } from "vitest";
import { ServiceCache } from "./service-cache.js";

function instance(name: string, id: string, status = InstanceStatus.HEALTHY): ServiceInstance {
  return create(ServiceInstanceSchema, {
    spec: { id, name, host: id, port: 80, weight: 100 },
    status,
    endpoint: `http://${id}:80`,
  });
}
const upsert = (name: string, id: string, status?: InstanceStatus) =>
  create(InstanceChangeSchema, {
    kind: InstanceChange_Kind.UPSERT,
    name,
    instanceId: id,
    instance: instance(name, id, status),
  });
const remove = (name: string, id: string) =>
  create(InstanceChangeSchema, { kind: InstanceChange_Kind.DELETE, name, instanceId: id });

describe("ServiceCache", () => {
  it("is empty and not loaded until a snapshot arrives", () => {
    const cache = new ServiceCache();
    expect([cache.loaded, cache.revision, cache.size, cache.get("a")]).toEqual([false, 0n, 0, undefined]);
  });

  it("orders instances as the hub does: healthy, degraded, unknown, unhealthy, then by id", () => {
    const cache = new ServiceCache();
    cache.replace(7n, [
      create(ServiceSchema, {
        name: "risk",
        instances: [
          instance("risk", "d", InstanceStatus.UNHEALTHY),
          instance("risk", "c"),
          instance("risk", "b", InstanceStatus.UNKNOWN),
          instance("risk", "a", InstanceStatus.DEGRADED),
          instance("risk", "e"),
        ],
      }),
      create(ServiceSchema, { name: "empty", instances: [] }),
    ]);
    const risk = cache.get("risk")!;
    expect(risk.instances.map((i) => `${i.id}:${i.status}`)).toEqual([
      "c:healthy",
      "e:healthy",
      "a:degraded",
      "b:unknown",
      "d:unhealthy",
    ]);
    expect(risk.healthy.map((i) => i.id)).toEqual(["c", "e"]);
    expect([cache.loaded, cache.revision, cache.size]).toEqual([true, 7n, 1]);
  });

  it("applies upserts and deletes, and drops a service with its last instance", () => {
    const cache = new ServiceCache();
    cache.replace(1n, []);
    expect(cache.apply(2n, upsert("risk", "a"))).toBe(true);
    expect(cache.apply(2n, upsert("risk", "b", InstanceStatus.UNHEALTHY))).toBe(true);
    expect(cache.get("risk")?.instances.map((i) => i.id)).toEqual(["a", "b"]);
    expect(cache.apply(3n, upsert("risk", "b"))).toBe(true);
    expect(cache.get("risk")?.healthy.map((i) => i.id)).toEqual(["a", "b"]);
    cache.apply(4n, remove("risk", "a"));
    cache.apply(5n, remove("risk", "b"));
    expect(cache.get("risk")).toBeUndefined();
    expect(cache.list()).toEqual([]);
    expect(cache.revision).toBe(5n);
  });

  it("keeps its order through any sequence of changes, as a full sort would give", () => {
    const cache = new ServiceCache();
    cache.replace(1n, []);
    const statuses = [
      InstanceStatus.HEALTHY,
      InstanceStatus.DEGRADED,
      InstanceStatus.UNHEALTHY,
      InstanceStatus.UNKNOWN,
    ];
    const rank = { healthy: 0, degraded: 1, unknown: 2, unhealthy: 3 } as const;
    // A fixed pseudo-random walk (LCG), so a failure reproduces.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const live = new Map<string, InstanceStatus>();
    for (let step = 0; step < 2000; step++) {
      const id = `i${next(40)}`;
      if (next(4) === 0) {
        cache.apply(BigInt(step + 2), remove("svc", id));
        live.delete(id);
      } else {
        const status = statuses[next(statuses.length)]!;
        cache.apply(BigInt(step + 2), upsert("svc", id, status));
        live.set(id, status);
      }
      const view = cache.get("svc");
      const instances = view?.instances ?? [];
      const sorted = [...instances].sort(
        (a, b) => rank[a.status] - rank[b.status] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      expect(instances.map((i) => i.id)).toEqual(sorted.map((i) => i.id));
      expect(new Set(instances.map((i) => i.id))).toEqual(new Set(live.keys()));
      expect((view?.healthy ?? []).map((i) => i.id)).toEqual(
        sorted.filter((i) => i.status === "healthy").map((i) => i.id),
      );
    }
  });

  it("skips a change older than what it has, and a delete of something it never had", () => {
    const cache = new ServiceCache();
    cache.replace(10n, []);
    expect(cache.apply(9n, upsert("risk", "a"))).toBe(false);
    expect(cache.get("risk")).toBeUndefined();
    expect(cache.apply(11n, remove("risk", "zzz"))).toBe(true);
    expect(cache.revision).toBe(11n);
  });

  it("takes a snapshot with a lower revision: a hub on a fresh store counts from zero", () => {
    const cache = new ServiceCache();
    cache.replace(50n, [create(ServiceSchema, { name: "old", instances: [instance("old", "a")] })]);
    cache.replace(3n, [create(ServiceSchema, { name: "new", instances: [instance("new", "b")] })]);
    expect(cache.list().map((s) => s.name)).toEqual(["new"]);
    expect(cache.revision).toBe(3n);
  });
});
