import { toBinary, toJsonString } from "@bufbuild/protobuf";
import { DiscoverResponseSchema } from "@hub/proto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { everyone } from "../discovery/audience.js";
import { Discovery } from "../discovery/discover.js";
import type { Registry } from "../registry/registry.js";
import type { Store } from "../store/store.js";
import { openMemoryRegistry } from "../testing/test-registry.js";
import { discoveryToProto } from "./connect/convert.js";
import { DiscoverAnswers } from "./fast/discover-answers.js";
import { DiscoverJsonAnswers } from "./rest/discover-json.js";
import { discoveryToJson } from "./rest/rest-mapping.js";
import { joinJsonObjectBytes, SplicedAnswer } from "./spliced-answer.js";

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const utf8 = (s: string) => new TextEncoder().encode(s);

describe("joinJsonObjectBytes", () => {
  it("merges compact objects in order and skips empty ones", () => {
    expect(text(joinJsonObjectBytes([utf8('{"a":1}'), utf8("{}"), utf8('{"b":[2],"c":"}"}')]))).toBe(
      '{"a":1,"b":[2],"c":"}"}',
    );
    expect(text(joinJsonObjectBytes([utf8("{}"), utf8("{}")]))).toBe("{}");
    expect(text(joinJsonObjectBytes([]))).toBe("{}");
  });
});

describe("SplicedAnswer", () => {
  const instance = (id: string) => ({ id }) as Parameters<SplicedAnswer["with"]>[0];
  const piecesOf = (i: { id: string }) =>
    [utf8(`{"first":"${i.id}"}`), utf8(`{"second":"${i.id}"}`)] as const;
  const segments = [utf8('{"head":1}'), utf8("{}"), utf8('{"tail":[3]}')] as const;

  it("puts each candidate's own pieces in, and builds them for an instance it was not made for", () => {
    const [a, b] = [instance("a"), instance("b")];
    const answer = new SplicedAnswer(segments, [a, b], piecesOf, joinJsonObjectBytes);
    expect(text(answer.with(b))).toBe('{"head":1,"first":"b","second":"b","tail":[3]}');
    expect(text(answer.with(a))).toBe('{"head":1,"first":"a","second":"a","tail":[3]}');
    expect(text(answer.with(instance("c")))).toBe('{"head":1,"first":"c","second":"c","tail":[3]}');
  });
});

describe("spliced Discover answers", () => {
  let store: Store;
  let registry: Registry;
  let discovery: Discovery;
  const binary = {
    serialize: (m: Parameters<typeof toBinary>[1]) => toBinary(DiscoverResponseSchema, m as never),
  };
  const json = {
    serialize: (m: Parameters<typeof toBinary>[1]) => utf8(toJsonString(DiscoverResponseSchema, m as never)),
  };

  beforeEach(async () => {
    ({ store, registry } = await openMemoryRegistry());
    discovery = new Discovery(registry.view);
    for (let port = 9000; port < 9005; port++) {
      await registry.register({
        name: "pricing",
        host: `host-${port}.example`,
        port,
        zone: port % 2 ? "a" : "b",
        metadata: { build: String(port) },
        healthCheck: { disabled: true },
      });
    }
  });
  afterEach(async () => {
    await registry.close();
    await store.close();
  });

  it("equal, byte for byte, the whole answer encoded at once, for every recommendation round robin makes", () => {
    const answers = new DiscoverAnswers();
    const rest = new DiscoverJsonAnswers();
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const result = discovery.discover("pricing", everyone, "round_robin");
      seen.add(result.recommended!.id);
      const whole = discoveryToProto(result);
      expect(hex(answers.encode(result, binary, true))).toBe(hex(binary.serialize(whole)));
      expect(text(answers.encode(result, json, false))).toBe(text(json.serialize(whole)));
      expect(answers.message(result)).toEqual(whole);
      expect(text(rest.encode(result))).toBe(JSON.stringify(discoveryToJson(result)));
    }
    expect(seen.size).toBe(5);
  });

  it("follow the service's state: a change in load is in the next answer", async () => {
    const answers = new DiscoverAnswers();
    const rest = new DiscoverJsonAnswers();
    const before = discovery.discover("pricing", everyone, "round_robin");
    answers.encode(before, binary, true);
    rest.encode(before);
    await registry.heartbeat("pricing", "host-9001.example-9001", 0.75);
    const after = discovery.discover("pricing", everyone, "round_robin");
    expect(hex(answers.encode(after, binary, true))).toBe(hex(binary.serialize(discoveryToProto(after))));
    expect(text(rest.encode(after))).toBe(JSON.stringify(discoveryToJson(after)));
    expect(text(rest.encode(after))).toContain('"load":0.75');
  });
});
