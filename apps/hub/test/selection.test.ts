import { SelectionStrategy } from "@hub/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscoverJson, mustRegisterJson, requestJson } from "./support/http-json.js";
import { type RunningHub, startHub } from "./support/start-hub.js";
import { openClients, transportKinds } from "./support/transports.js";

let running: RunningHub;
let busy: string;
let idle: string;
beforeAll(async () => {
  running = await startHub();
  const register = (port: number) =>
    mustRegisterJson(running.url, {
      name: "pricing",
      host: "127.0.0.1",
      port,
      health_check: { disabled: true },
    });
  const [a, b] = [await register(9801), await register(9802)];
  busy = a.endpoint;
  idle = b.endpoint;
  for (const [id, load] of [
    [a.id, 0.9],
    [b.id, 0.1],
  ] as const) {
    const beat = await requestJson(`${running.url}/services/pricing/instances/${id}/heartbeat`, {
      method: "PUT",
      json: { load },
    });
    expect(beat.status).toBe(200);
  }
});
afterAll(async () => {
  await running?.close();
});

describe("discovery strategies on the plain JSON path", () => {
  it("recommends the instance reporting the lower load with least_load", async () => {
    for (let i = 0; i < 6; i++) {
      const answer = await requestJson<DiscoverJson>(
        `${running.url}/services/discover/pricing?strategy=least_load`,
      );
      expect(answer.body.recommended_endpoint).toBe(idle);
    }
  });

  it("alternates between the healthy instances with round_robin", async () => {
    const picks = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const answer = await requestJson<DiscoverJson>(
        `${running.url}/services/discover/pricing?strategy=round_robin`,
      );
      picks.add(answer.body.recommended_endpoint);
    }
    expect([...picks].sort()).toEqual([busy, idle].sort());
  });

  it("answers 400 to an unknown strategy", async () => {
    const answer = await requestJson<{ error: { field: string } }>(
      `${running.url}/services/discover/pricing?strategy=fastest`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.field).toBe("strategy");
  });
});

describe.each(transportKinds)("discovery strategies over $name", (kind) => {
  it("recommends the instance reporting the lower load with LEAST_LOAD", async () => {
    const clients = openClients(kind, running.url);
    try {
      for (let i = 0; i < 6; i++) {
        const answer = await clients.discovery.discover({
          name: "pricing",
          strategy: SelectionStrategy.LEAST_LOAD,
        });
        expect(answer.recommendedEndpoint).toBe(idle);
        expect(answer.endpoints.find((e) => e.url === idle)?.load).toBe(0.1);
      }
    } finally {
      clients.close();
    }
  });
});
