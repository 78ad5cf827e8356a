import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getServiceJson, instanceStatus, mustRegisterJson, requestJson } from "./support/http-json.js";
import { type RunningHub, startHub } from "./support/start-hub.js";
import { waitFor } from "./support/wait-for.js";

let running: RunningHub;
beforeAll(async () => {
  running = await startHub();
});
afterAll(async () => {
  await running?.close();
});

describe("instance leases", () => {
  it("turns an instance without heartbeats unhealthy when its lease lapses, and a heartbeat revives it", async () => {
    const { id } = await mustRegisterJson(running.url, {
      name: "lapsing",
      host: "127.0.0.1",
      port: 9901,
      ttl_seconds: 1,
      health_check: { disabled: true },
    });
    expect(await instanceStatus(running.url, "lapsing", id)).toBe("healthy");

    await waitFor(
      "the lease to lapse",
      () => instanceStatus(running.url, "lapsing", id),
      (s) => s === "unhealthy",
    );
    const lapsed = (await getServiceJson(running.url, "lapsing"))?.instances[0];
    expect(lapsed?.status_message).toContain("lease expired");

    const beat = await requestJson(`${running.url}/services/lapsing/instances/${id}/heartbeat`, {
      method: "PUT",
    });
    expect(beat.status).toBe(200);
    await waitFor(
      "the heartbeat to revive it",
      () => instanceStatus(running.url, "lapsing", id),
      (s) => s === "healthy",
    );
  });

  it("removes an instance whose lease stayed lapsed for deregister_critical_after_seconds", async () => {
    const { id } = await mustRegisterJson(running.url, {
      name: "abandoned",
      host: "127.0.0.1",
      port: 9902,
      ttl_seconds: 1,
      deregister_critical_after_seconds: 1,
      health_check: { disabled: true },
    });
    await waitFor(
      "the instance to be removed",
      () => instanceStatus(running.url, "abandoned", id),
      (s) => s === "absent",
    );
    const beat = await requestJson(`${running.url}/services/abandoned/instances/${id}/heartbeat`, {
      method: "PUT",
    });
    expect(beat.status).toBe(404);
  });
});
