import { create } from "@bufbuild/protobuf";
import { DiscoverResponseSchema, InstanceStatus, Protocol } from "@hub/proto";
import { describe, expect, it } from "vitest";
import type { DiscoveredInstance, InstanceStatus as Status } from "./discovered-instance.js";
import { answerFromCache, answerFromHub } from "./discovery-answer.js";
import { createRoundRobinSelector } from "./selection.js";

function instance(id: string, status: Status, statusMessage = ""): DiscoveredInstance {
  return {
    id,
    name: "risk",
    host: id,
    port: 80,
    protocol: "http",
    url: `http://${id}:80`,
    status,
    statusMessage,
    load: 0,
    weight: 100,
    zone: "",
    version: "",
    metadata: {},
    tags: [],
  };
}
const at = { revision: 4n, staleForMs: 0 };

describe("answerFromCache", () => {
  it("picks among healthy instances only, with full confidence", () => {
    const healthy = [instance("a", "healthy"), instance("b", "healthy")];
    const service = { name: "risk", instances: [...healthy, instance("c", "unhealthy")], healthy };
    const selector = createRoundRobinSelector();
    const picks = [0, 1, 2].map(() => answerFromCache(service, selector, at).recommended.id);
    expect(picks).toEqual(["a", "b", "a"]);
    expect(answerFromCache(service, selector, at)).toMatchObject({
      healthyAvailable: true,
      confidence: 1,
      message: "",
    });
  });

  it.each([
    ["degraded", 0.4],
    ["unknown", 0.3],
    ["unhealthy", 0.1],
  ] as const)("when the best is %s, says so with confidence %d", (status, confidence) => {
    const service = {
      name: "risk",
      instances: [instance("a", status, "why"), instance("b", "unhealthy")],
      healthy: [],
    };
    const answer = answerFromCache(service, createRoundRobinSelector(), at);
    expect(answer).toMatchObject({
      healthyAvailable: false,
      confidence,
      message: `no healthy instance of risk: recommending one that is ${status} (why)`,
      recommended: { id: "a" },
    });
  });

  it("says 'no detail' when the instance has no status message", () => {
    const service = { name: "risk", instances: [instance("a", "unknown")], healthy: [] };
    expect(answerFromCache(service, createRoundRobinSelector(), at).message).toBe(
      "no healthy instance of risk: recommending one that is unknown (no detail)",
    );
  });
});

describe("answerFromHub", () => {
  it("converts the hub's endpoints and keeps its recommendation", () => {
    const response = create(DiscoverResponseSchema, {
      serviceName: "risk",
      recommended: {
        instanceId: "b",
        host: "b",
        port: 81,
        url: "http://b:81",
        status: InstanceStatus.HEALTHY,
      },
      endpoints: [
        {
          instanceId: "b",
          host: "b",
          port: 81,
          url: "http://b:81",
          status: InstanceStatus.HEALTHY,
          protocol: Protocol.GRPC,
        },
        { instanceId: "a", host: "a", port: 80, url: "http://a:80", status: InstanceStatus.UNHEALTHY },
      ],
      healthyAvailable: true,
      confidence: 1,
    });
    const answer = answerFromHub("risk", response);
    expect(answer.recommended).toMatchObject({ id: "b", protocol: "grpc", status: "healthy" });
    expect(answer.healthy.map((i) => i.id)).toEqual(["b"]);
    expect(answer).toMatchObject({ source: "hub", revision: 0n, staleForMs: 0 });
  });

  it("throws NOT_FOUND when the hub recommends nothing", () => {
    expect(() => answerFromHub("risk", create(DiscoverResponseSchema, {}))).toThrowError(
      expect.objectContaining({ reason: "NOT_FOUND" }),
    );
  });
});
