import { create, type JsonObject } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import {
  ConfigService,
  SubscriptionTier,
  type WatchConfigRequest,
  type WatchConfigResponse,
  WatchConfigResponseSchema,
} from "@hub/proto";
import { FakeClock, settle } from "@hub/test-support";
import { afterEach, describe, expect, it } from "vitest";
import type { ConfigWatchEvent } from "./config-watcher.js";
import { createHubClient } from "./index.js";

/** A hub's config stream the test drives: each open stream is a queue the test pushes into or fails. */
class FakeConfigHub {
  readonly requests: WatchConfigRequest[] = [];
  private stream: { push: (m: WatchConfigResponse) => void; fail: (e: Error) => void } | undefined;
  refuse: ConnectError | undefined;

  transport() {
    return createRouterTransport(({ service }) => {
      service(ConfigService, {
        watchConfig: (request, ctx) => this.open(request, ctx.signal),
      });
    });
  }

  push(version: bigint, config: JsonObject): void {
    this.stream?.push(
      create(WatchConfigResponseSchema, {
        version,
        value: {
          case: "tenantConfig",
          value: { tenantId: "acme", subscriptionTier: SubscriptionTier.PRO, config, version },
        },
      }),
    );
  }

  /** Breaks the open stream as a hub restart would. */
  fail(): void {
    this.stream?.fail(new ConnectError("connection reset", Code.Unavailable));
    this.stream = undefined;
  }

  private async *open(request: WatchConfigRequest, signal: AbortSignal): AsyncGenerator<WatchConfigResponse> {
    this.requests.push(request);
    if (this.refuse) throw this.refuse;
    const queue: WatchConfigResponse[] = [];
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    this.stream = {
      push: (m) => {
        queue.push(m);
        wake?.();
      },
      fail: (e) => {
        failure = e;
        wake?.();
      },
    };
    signal.addEventListener("abort", () => wake?.());
    while (!signal.aborted) {
      if (failure) throw failure;
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }
}

describe("client.watchConfig", () => {
  const clients: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });

  function setup() {
    const hub = new FakeConfigHub();
    const clock = new FakeClock();
    const transport = hub.transport();
    const client = createHubClient({
      hubUrls: ["http://hub-a:7000"],
      clock,
      random: () => 0,
      backoff: { initialMs: 100, maxMs: 1_000, multiplier: 2, jitter: 0.5 },
      createTransport: () => transport,
      tenant: { companyId: "acme" },
    });
    clients.push(client);
    const events: ConfigWatchEvent[] = [];
    const watch = client.watchConfig({ tenant: "acme" }, (event) => events.push(event));
    return { hub, clock, client, events, watch };
  }

  it("asks for the tenant's effective config from version 0, then delivers every value", async () => {
    const { hub, events } = setup();
    await settle();
    expect(hub.requests).toEqual([
      expect.objectContaining({
        effective: true,
        fromVersion: 0n,
        scope: expect.objectContaining({ kind: { case: "tenantId", value: "acme" } }),
      }),
    ]);
    hub.push(3n, { a: 1 });
    hub.push(7n, { a: 2 });
    await settle();
    expect(events).toEqual([
      expect.objectContaining({ type: "config", version: 3n, config: { a: 1 }, subscriptionTier: "pro" }),
      expect.objectContaining({ type: "config", version: 7n, config: { a: 2 } }),
    ]);
  });

  it("reconnects after the backoff, resuming from the last version it saw", async () => {
    const { hub, clock, events } = setup();
    await settle();
    hub.push(3n, { a: 1 });
    await settle();
    hub.fail();
    await settle();
    expect(events.at(-1)).toMatchObject({ type: "disconnected", refused: false, retryInMs: 100 });
    expect(hub.requests).toHaveLength(1);
    await clock.advance(99);
    expect(hub.requests).toHaveLength(1);
    await clock.advance(1);
    expect(hub.requests.at(-1)?.fromVersion).toBe(3n);
    hub.push(9n, { a: 3 });
    await settle();
    expect(events.at(-1)).toMatchObject({ type: "config", version: 9n, config: { a: 3 } });
  });

  it("reports a refusal as refused and backs off further while it lasts", async () => {
    const { hub, clock, events, watch } = setup();
    hub.refuse = new ConnectError("a caller for company x may not read tenant acme", Code.PermissionDenied);
    hub.fail();
    await settle();
    await clock.advance(1_000);
    const refusals = events.filter((e) => e.type === "disconnected");
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.map((e) => e.type === "disconnected" && [e.refused, e.retryInMs])).toEqual(
      refusals.map((_, i) => [true, Math.min(1_000, 100 * 2 ** i)]),
    );
    watch.close();
    const seen = hub.requests.length;
    await clock.advance(10_000);
    expect(hub.requests).toHaveLength(seen);
  });
});
