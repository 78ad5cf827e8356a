import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { DiscoveryService, type WatchServicesResponse } from "@hub/proto";
import { afterEach, describe, expect, it } from "vitest";
import { withDirectWatch } from "../src/direct-watch-transport.js";
import { useResources } from "./support/resources.js";

/** A transport that counts the streams it is asked for. */
function counting(inner: Transport): Transport & { streams: number } {
  const counted = {
    streams: 0,
    unary: inner.unary.bind(inner),
    stream: ((...args: Parameters<Transport["stream"]>) => {
      counted.streams++;
      return inner.stream(...args);
    }) as Transport["stream"],
  };
  return counted;
}

async function register(hubUrl: string, name: string, port: number): Promise<void> {
  const res = await fetch(`${hubUrl}/services/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, host: "127.0.0.1", port, health_check: { disabled: true } }),
  });
  expect(res.status).toBe(201);
}

/** The first `count` messages of a watch, then stops it. */
async function firstMessages(
  transport: Transport,
  count: number,
  names: string[],
  onFirst: () => Promise<void> = async () => {},
): Promise<WatchServicesResponse[]> {
  const abort = new AbortController();
  const messages: WatchServicesResponse[] = [];
  for await (const message of createClient(DiscoveryService, transport).watchServices(
    { names },
    { signal: abort.signal },
  )) {
    messages.push(message);
    if (messages.length === 1) await onFirst();
    if (messages.length === count) break;
  }
  abort.abort();
  return messages;
}

describe("the client's direct WatchServices reader", () => {
  const resources = useResources();
  const closers: Array<() => unknown> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it("delivers the same messages as connect-es, without the inner transport", async () => {
    const hub = await resources.hub();
    await register(hub.url, "pricing", 9001);
    const inner = counting(createConnectTransport({ baseUrl: hub.url, httpVersion: "1.1" }));
    const direct = withDirectWatch(inner, hub.url);
    closers.push(() => direct.close());

    const viaDirect = await firstMessages(direct.transport, 2, ["pricing"], () =>
      register(hub.url, "pricing", 9002),
    );
    expect(inner.streams).toBe(0);
    const viaInner = await firstMessages(inner, 1, ["pricing"]);
    expect(inner.streams).toBe(1);

    expect(viaDirect.map((m) => m.event.case)).toEqual(["snapshot", "change"]);
    expect(viaDirect[1]!.event.value).toMatchObject({ name: "pricing", instanceId: "127.0.0.1-9002" });
    // The inner stream started later, so its snapshot has both instances: compare what both know.
    const snapshotInstances = (m: WatchServicesResponse) =>
      m.event.case === "snapshot"
        ? m.event.value.services.flatMap((s) => s.instances.map((i) => i.spec?.id))
        : [];
    expect(snapshotInstances(viaInner[0]!)).toEqual(["127.0.0.1-9001", "127.0.0.1-9002"]);
    expect(snapshotInstances(viaDirect[0]!)).toEqual(["127.0.0.1-9001"]);
  });

  it("hands the watch to the inner transport when the server does not speak Connect streaming", async () => {
    const hub = await resources.hub();
    await register(hub.url, "pricing", 9001);
    // Something on the URL that answers every request with a plain 404 (a proxy, another service).
    const other: Server = createServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not here");
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => other.close(resolve)));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const inner = counting(createConnectTransport({ baseUrl: hub.url, httpVersion: "1.1" }));
    const direct = withDirectWatch(inner, otherUrl);
    closers.push(() => direct.close());

    const messages = await firstMessages(direct.transport, 1, ["pricing"]);
    expect(messages[0]!.event.case).toBe("snapshot");
    expect(inner.streams).toBe(1);
  });

  it("reports the hub's error from the end of the stream, without trying the inner transport", async () => {
    const hub = await resources.hub();
    const inner = counting(createConnectTransport({ baseUrl: hub.url, httpVersion: "1.1" }));
    const direct = withDirectWatch(inner, hub.url);
    closers.push(() => direct.close());
    await expect(firstMessages(direct.transport, 1, ["Bad_Name"])).rejects.toMatchObject({
      code: 3, // invalid_argument
      rawMessage: expect.stringContaining("names[0]"),
    });
    expect(inner.streams).toBe(0);
  });

  it("ends with canceled when the caller aborts, and a refused connection goes to the inner transport", async () => {
    const hub = await resources.hub();
    await register(hub.url, "pricing", 9001);
    const inner = counting(createConnectTransport({ baseUrl: hub.url, httpVersion: "1.1" }));
    const direct = withDirectWatch(inner, hub.url);
    closers.push(() => direct.close());
    const abort = new AbortController();
    const stream = createClient(DiscoveryService, direct.transport).watchServices(
      { names: ["pricing"] },
      { signal: abort.signal },
    );
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.event.case).toBe("snapshot");
    abort.abort();
    await expect(iterator.next()).rejects.toMatchObject({ code: 1 }); // canceled

    // Nothing listens on port 9 of this machine: the direct path cannot open, the inner one answers.
    const refused = withDirectWatch(inner, "http://127.0.0.1:9");
    closers.push(() => refused.close());
    const messages = await firstMessages(refused.transport, 1, ["pricing"]);
    expect(messages[0]!.event.case).toBe("snapshot");
    expect(inner.streams).toBe(1);
  });
});
