import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { InstanceChange_Kind, type WatchServicesRequestSchema, type WatchServicesResponse } from "@hub/proto";
import { afterEach, describe, expect, it } from "vitest";
import { mustRegisterJson, requestJson } from "./support/http-json.js";
import { type RunningHub, startHub } from "./support/start-hub.js";
import { StreamReader } from "./support/stream-reader.js";
import { Teardown } from "./support/teardown.js";
import { type HubClients, openClients, type TransportKind, transportKinds } from "./support/transports.js";

type WatchRequest = MessageInitShape<typeof WatchServicesRequestSchema>;

const teardown = new Teardown();
afterEach(() => teardown.run());

/** Opens a WatchServices stream that teardown aborts (before the hub and clients close). */
function watch(clients: HubClients, request: WatchRequest, headers: Record<string, string> = {}) {
  const controller = teardown.defer(new AbortController(), (c) => c.abort());
  const reader = new StreamReader(
    clients.discovery.watchServices(request, { signal: controller.signal, headers }),
  );
  return { reader, stop: () => controller.abort() };
}

async function startWatchedHub(kind: TransportKind, flags: string[] = []) {
  const hub = teardown.defer(await startHub(flags), (h) => h.close());
  const clients = teardown.defer(openClients(kind, hub.url), (c) => c.close());
  return { hub, clients };
}

/** Registers an instance without active checks, so no check result adds changes of its own. */
function register(hub: RunningHub, name: string, port: number, extra: Record<string, unknown> = {}) {
  return mustRegisterJson(hub.url, {
    name,
    host: "127.0.0.1",
    port,
    health_check: { disabled: true },
    ...extra,
  });
}

function snapshotOf(message: WatchServicesResponse) {
  if (message.event.case !== "snapshot") throw new Error(`expected a snapshot, got ${message.event.case}`);
  return message.event.value;
}

function changeOf(message: WatchServicesResponse) {
  if (message.event.case !== "change") throw new Error(`expected a change, got ${message.event.case}`);
  return message.event.value;
}

/** The service names a message mentions (snapshot services, or the changed instance's service). */
function namesIn(message: WatchServicesResponse): string[] {
  if (message.event.case === "snapshot") return message.event.value.services.map((s) => s.name);
  if (message.event.case === "change") return [message.event.value.name];
  return [];
}

describe.each(transportKinds)("WatchServices over $name", (kind) => {
  it("starts with a snapshot of the watched services and the current revision", async () => {
    const { hub, clients } = await startWatchedHub(kind);
    const a = await register(hub, "inventory", 9401);
    const b = await register(hub, "inventory", 9402);
    await register(hub, "billing", 9403);

    const one = watch(clients, { names: ["inventory"] });
    const first = await one.reader.next();
    const snapshot = snapshotOf(first);
    expect(first.revision).toBeGreaterThanOrEqual(3n);
    expect(snapshot.services.map((s) => s.name)).toEqual(["inventory"]);
    expect(snapshot.services[0]?.instances.map((i) => i.spec?.id).sort()).toEqual([a.id, b.id].sort());

    const all = watch(clients, {});
    const everything = await all.reader.next();
    expect(snapshotOf(everything).services.map((s) => s.name)).toEqual(["billing", "inventory"]);
    expect(everything.revision).toBe(first.revision);
  });

  it("sends an upsert for each registration and a delete for a deregistration, with increasing revisions", async () => {
    const { hub, clients } = await startWatchedHub(kind);
    const { reader } = watch(clients, { names: ["inventory"] });
    const snapshot = await reader.next();
    expect(snapshotOf(snapshot).services).toEqual([]);

    const registered = await register(hub, "inventory", 9411, { version: "1.0.0" });
    const added = await reader.next();
    expect(changeOf(added)).toMatchObject({
      kind: InstanceChange_Kind.UPSERT,
      name: "inventory",
      instanceId: registered.id,
    });
    expect(changeOf(added).instance?.spec?.port).toBe(9411);
    expect(added.revision).toBeGreaterThan(snapshot.revision);

    await register(hub, "inventory", 9411, { version: "1.1.0" });
    const updated = await reader.next();
    expect(changeOf(updated)).toMatchObject({ kind: InstanceChange_Kind.UPSERT, instanceId: registered.id });
    expect(changeOf(updated).instance?.spec?.version).toBe("1.1.0");
    expect(updated.revision).toBeGreaterThan(added.revision);

    const deleted = await requestJson(`${hub.url}/services/inventory/instances/${registered.id}`, {
      method: "DELETE",
    });
    expect(deleted.status).toBe(204);
    const removed = await reader.next();
    expect(changeOf(removed)).toMatchObject({
      kind: InstanceChange_Kind.DELETE,
      name: "inventory",
      instanceId: registered.id,
    });
    expect(changeOf(removed).instance).toBeUndefined();
    expect(removed.revision).toBeGreaterThan(updated.revision);
  });

  it("replays exactly the changes missed while disconnected when resumed from the last revision", async () => {
    const { hub, clients } = await startWatchedHub(kind);
    const before = watch(clients, { names: ["inventory"] });
    await before.reader.next();
    await register(hub, "inventory", 9421);
    const lastSeen = await before.reader.next();
    before.stop();

    const missed = [await register(hub, "inventory", 9422), await register(hub, "inventory", 9423)];
    const after = watch(clients, { names: ["inventory"], fromRevision: lastSeen.revision });
    const first = await after.reader.next();
    const second = await after.reader.next();
    expect([changeOf(first), changeOf(second)].map((c) => [c.kind, c.instanceId])).toEqual(
      missed.map((m) => [InstanceChange_Kind.UPSERT, m.id]),
    );
    expect(first.revision).toBeGreaterThan(lastSeen.revision);
    expect(second.revision).toBeGreaterThan(first.revision);

    // Nothing else was queued: the next message is the next live change.
    const live = await register(hub, "inventory", 9424);
    expect(changeOf(await after.reader.next()).instanceId).toBe(live.id);
  });

  it.each([
    { case: "0", from: () => 0n },
    { case: "a revision the hub has not reached", from: (current: bigint) => current + 1_000n },
  ])("answers from_revision $case with a snapshot", async ({ from }) => {
    const { hub, clients } = await startWatchedHub(kind);
    const registered = await register(hub, "inventory", 9431);
    const probe = watch(clients, { names: ["inventory"] });
    const current = (await probe.reader.next()).revision;

    const { reader } = watch(clients, { names: ["inventory"], fromRevision: from(current) });
    const first = await reader.next();
    expect(snapshotOf(first).services[0]?.instances.map((i) => i.spec?.id)).toEqual([registered.id]);
    expect(first.revision).toBe(current);
  });

  it("never shows a pro-only service to a free-tier watcher", async () => {
    const { hub, clients } = await startWatchedHub(kind);
    const { reader } = watch(clients, {}, { "x-subscription-tier": "free", "x-company-id": "company-free" });
    await reader.next();

    const premium = await register(hub, "premium-feed", 9441, {
      subscription_requirements: ["pro", "enterprise"],
    });
    const gone = await requestJson(`${hub.url}/services/premium-feed/instances/${premium.id}`, {
      method: "DELETE",
    });
    expect(gone.status).toBe(204);
    const marker = await register(hub, "public-feed", 9442);

    const seen = await reader.until(
      (m) => m.event.case === "change" && m.event.value.instanceId === marker.id,
    );
    // A delete for an instance the watcher was never shown still leaks the service's name and ids.
    expect(seen.flatMap(namesIn), "services a free-tier watcher was told about").not.toContain(
      "premium-feed",
    );
  });

  it("sends a free-tier watcher a delete when a public instance becomes pro-only", async () => {
    const { hub, clients } = await startWatchedHub(kind);
    const shown = await register(hub, "feed", 9445);
    const { reader } = watch(clients, {}, { "x-subscription-tier": "free", "x-company-id": "company-free" });
    expect(snapshotOf(await reader.next()).services.map((s) => s.name)).toEqual(["feed"]);

    await register(hub, "feed", 9445, { subscription_requirements: ["pro"] });
    expect(changeOf(await reader.next())).toMatchObject({
      kind: InstanceChange_Kind.DELETE,
      name: "feed",
      instanceId: shown.id,
    });
  });

  it("shows the pro-only service to a pro-tier watcher", async () => {
    const { hub, clients } = await startWatchedHub(kind);
    const { reader } = watch(clients, {}, { "x-subscription-tier": "pro", "x-company-id": "company-pro" });
    await reader.next();
    const premium = await register(hub, "premium-feed", 9451, {
      subscription_requirements: ["pro", "enterprise"],
    });
    expect(changeOf(await reader.next())).toMatchObject({
      kind: InstanceChange_Kind.UPSERT,
      instanceId: premium.id,
    });
  });
});

describe("WatchServices after a hub restart", () => {
  it.each(transportKinds)(
    "answers a revision older than the restart with a snapshot over $name",
    async (kind) => {
      const dataDir = teardown.defer(await mkdtemp(join(tmpdir(), "hub-watch-")), (dir) =>
        rm(dir, { recursive: true, force: true }),
      );
      const flags = ["--storage", "sqlite", "--data-dir", dataDir];
      const before = await startHub(flags);
      let ids: string[];
      try {
        ids = [];
        for (const port of [9461, 9462, 9463]) ids.push((await register(before, "inventory", port)).id);
      } finally {
        await before.close();
      }

      const { clients } = await startWatchedHub(kind, flags);
      const { reader } = watch(clients, { names: ["inventory"], fromRevision: 1n });
      const first = await reader.next();
      expect(
        snapshotOf(first)
          .services[0]?.instances.map((i) => i.spec?.id)
          .sort(),
      ).toEqual([...ids].sort());
      expect(first.revision).toBeGreaterThan(1n);
    },
  );
});
