import { EventEmitter } from "node:events";
import { create, toBinary } from "@bufbuild/protobuf";
import { validateUniversalHandlerOptions } from "@connectrpc/connect/protocol";
import { createEndStreamSerialization } from "@connectrpc/connect/protocol-connect";
import { WatchServicesRequestSchema } from "@hub/proto";
import { describe, expect, it } from "vitest";
import type { HubApi } from "../hub-api.js";
import type { RegistryWatchEvent, RegistryWatchListener } from "../registry-watch.js";
import type { NodeRequest, NodeResponse } from "../rest/json-io.js";
import { connectProtocol, WatchStream, type WatchStreamContext } from "./watch-stream.js";

/** A response that records writes and whose unsent bytes the test sets, as a slow reader's would be. */
class FakeResponse extends EventEmitter {
  writableLength = 0;
  writableEnded = false;
  destroyed = false;
  readonly written: string[] = [];
  writeHead() {
    return this;
  }
  write(chunk: Uint8Array) {
    this.written.push(Buffer.from(chunk).toString());
    return true;
  }
  end() {
    this.writableEnded = true;
  }
  addTrailers() {}
}

const snapshotAt = (revision: number): RegistryWatchEvent => ({ type: "snapshot", revision, services: [] });
const deleteAt = (revision: number): RegistryWatchEvent => ({
  type: "delete",
  revision,
  name: "pricing",
  id: `i-${revision}`,
});

function openStream(maxBufferedBytes: number) {
  let listener: RegistryWatchListener | undefined;
  let revision = 1;
  const api = {
    openWatch: (
      _names: unknown,
      _from: unknown,
      _caller: unknown,
      _legacy: unknown,
      l: RegistryWatchListener,
    ) => {
      listener = l;
      return { initial: [snapshotAt(revision)], snapshot: () => snapshotAt(revision), close: () => {} };
    },
  } as unknown as HubApi;
  const handlerOptions = validateUniversalHandlerOptions({});
  const context: WatchStreamContext = {
    api,
    handlerOptions,
    shutdownSignal: new AbortController().signal,
    maxBufferedBytes,
    endStream: createEndStreamSerialization(handlerOptions.jsonOptions),
    parseRequest: () => create(WatchServicesRequestSchema, {}),
    // A readable stand-in for an envelope: which event, at which revision.
    envelopeOf: (event) => new TextEncoder().encode(`${event.type}@${event.revision};`),
  };
  const res = new FakeResponse();
  const req = { headers: {} } as unknown as NodeRequest;
  const body = Buffer.concat([
    Buffer.from([0, 0, 0, 0, 0]),
    toBinary(WatchServicesRequestSchema, create(WatchServicesRequestSchema)),
  ]);
  const caller = { ok: true, caller: { correlationId: "c-1", trusted: true, legacy: true } } as const;
  new WatchStream(context, req, res as unknown as NodeResponse, connectProtocol, caller, body).start();
  return {
    res,
    change: (event: RegistryWatchEvent) => {
      revision = event.revision;
      listener!.onEvents([event]);
    },
    reload: () => listener!.onReload(),
  };
}

describe("WatchStream", () => {
  it("sends the first events, then each change as it comes", () => {
    const { res, change } = openStream(1024);
    change(deleteAt(2));
    change(deleteAt(3));
    expect(res.written).toEqual(["snapshot@1;", "delete@2;", "delete@3;"]);
  });

  it("stops sending changes to a watcher that does not read, and sends a fresh snapshot once it drains", () => {
    const { res, change } = openStream(1024);
    res.writableLength = 4096; // the reader fell behind: more unsent than allowed
    change(deleteAt(2));
    expect(res.written).toEqual(["snapshot@1;", "delete@2;"]);
    change(deleteAt(3));
    change(deleteAt(4));
    expect(res.written).toHaveLength(2); // changes 3 and 4 are not queued
    res.writableLength = 0;
    res.emit("drain");
    expect(res.written).toEqual(["snapshot@1;", "delete@2;", "snapshot@4;"]);
    change(deleteAt(5));
    expect(res.written.at(-1)).toBe("delete@5;");
  });

  it("starts over with a snapshot when the registry reloads its view", () => {
    const { res, reload } = openStream(1024);
    reload();
    expect(res.written).toEqual(["snapshot@1;", "snapshot@1;"]);
  });

  it("ends the stream (end-of-stream message) when the client goes away, and sends nothing after", () => {
    const { res, change } = openStream(1024);
    res.emit("close");
    expect(res.writableEnded).toBe(true);
    const sent = res.written.length;
    change(deleteAt(2));
    expect(res.written).toHaveLength(sent);
  });
});
