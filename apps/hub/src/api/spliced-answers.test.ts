import { toBinary, toJsonString } from "@bufbuild/protobuf";
import { DiscoverResponseSchema } from "@hub/proto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Audience, everyone } from "../discovery/audience.js";
import { Discovery } from "../discovery/discover.js";
import type { Registry } from "../registry/registry.js";
import type { Store } from "../store/store.js";
import { openMemoryRegistry } from "../testing/test-registry.js";
import { discoveryToProto } from "./connect/convert.js";
import { DiscoverAnswers } from "./fast/discover-answers.js";
import { DiscoverJsonAnswers } from "./rest/discover-json.js";
import { discoveryToJson } from "./rest/rest-mapping.js";
import { compactJsonObject, protobufBinary, SplicedAnswer } from "./spliced-answer.js";

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const utf8 = (s: string) => new TextEncoder().encode(s);

describe("SplicedAnswer", () => {
  const instance = (id: string) => ({ id }) as Parameters<SplicedAnswer["with"]>[0];
  const [a, b, c] = [instance("a"), instance("b"), instance("c")];
  const piecesOf = (i: { id: string }) =>
    [utf8(`{"first":"${i.id}"}`), utf8(`{"second":{"id":"${i.id}"}}`)] as const;

  it("joins compact JSON objects as one object, skipping empty ones", () => {
    const answer = new SplicedAnswer(
      [utf8('{"head":1}'), utf8("{}"), utf8("{}")],
      [a],
      piecesOf,
      compactJsonObject,
    );
    expect(text(answer.with(a))).toBe('{"head":1,"first":"a","second":{"id":"a"}}');
    const empty = new SplicedAnswer(
      [utf8('{"head":1}'), utf8('{"middle":[]}'), utf8('{"tail":"}"}')],
      [a],
      () => [utf8("{}"), utf8("{}")],
      compactJsonObject,
    );
    expect(text(empty.with(a))).toBe('{"head":1,"middle":[],"tail":"}"}');
  });

  it("puts each candidate's own fields in, whether the frame holds their values or not", () => {
    // The tail lists b's value (as an answer lists every endpoint) but not a's.
    const segments = [utf8('{"head":1}'), utf8('{"names":["b"]}'), utf8('{"all":[{"id":"b"}]}')] as const;
    const answer = new SplicedAnswer(segments, [a, b], piecesOf, compactJsonObject);
    expect(text(answer.with(b))).toBe(
      '{"head":1,"first":"b","names":["b"],"second":{"id":"b"},"all":[{"id":"b"}]}',
    );
    expect(text(answer.with(a))).toBe(
      '{"head":1,"first":"a","names":["b"],"second":{"id":"a"},"all":[{"id":"b"}]}',
    );
    // An instance it was not built for still gets its own answer.
    expect(text(answer.with(c))).toBe(
      '{"head":1,"first":"c","names":["b"],"second":{"id":"c"},"all":[{"id":"b"}]}',
    );
  });

  it("takes a new snapshot of a candidate (same id) for the candidate", () => {
    const labelled = (id: string, label: string) =>
      ({ id, label }) as unknown as Parameters<SplicedAnswer["with"]>[0];
    const byLabel = (i: unknown) =>
      [utf8(`{"first":"${(i as { label: string }).label}"}`), utf8("{}")] as const;
    const answer = new SplicedAnswer(
      [utf8('{"head":1}'), utf8("{}"), utf8("{}")],
      [labelled("a", "built")],
      byLabel,
      compactJsonObject,
    );
    expect(text(answer.with(labelled("a", "later")))).toBe('{"head":1,"first":"built"}');
    expect(text(answer.with(labelled("b", "other")))).toBe('{"head":1,"first":"other"}');
  });

  it("points at values the frame already holds rather than copying them", () => {
    const segments = [utf8('{"head":1}'), utf8('{"names":["b"]}'), utf8('{"all":[{"id":"b"}]}')] as const;
    const frame = '{"head":1,"names":["b"],"all":[{"id":"b"}]}';
    const keys = ',"first":,"second":';
    const table = 32;
    expect(new SplicedAnswer(segments, [b], piecesOf, compactJsonObject).byteLength).toBe(
      frame.length + keys.length + table,
    );
    // a's values are not in the frame: they are kept, once.
    expect(new SplicedAnswer(segments, [a, b], piecesOf, compactJsonObject).byteLength).toBe(
      frame.length + keys.length + '"a"{"id":"a"}'.length + 2 * table,
    );
  });

  it("splices protobuf binary fields, tag and length kept with each value", () => {
    // field 1 "h" | field 2 (recommendation) | field 3 "mm" | field 4 (recommendation) | field 5 "t"
    const field = (tag: number, value: string) =>
      Buffer.concat([Buffer.from([(tag << 3) | 2, value.length]), utf8(value)]);
    const segments = [field(1, "h"), field(3, "mm"), field(5, "t")] as const;
    const answer = new SplicedAnswer(
      segments,
      [a, b],
      (i) => [field(2, i.id), field(4, `${i.id}${i.id}`)],
      protobufBinary,
    );
    expect(hex(answer.with(b))).toBe(
      hex(Buffer.concat([field(1, "h"), field(2, "b"), field(3, "mm"), field(4, "bb"), field(5, "t")])),
    );
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

  it("stay whole for a tier's audience after heartbeats replace the instances' snapshots", async () => {
    const answers = new DiscoverAnswers();
    const pro: Audience = { kind: "tier", tier: "pro" };
    answers.encode(discovery.discover("pricing", pro, "round_robin"), binary, true);
    for (let port = 9000; port < 9005; port++)
      await registry.heartbeat("pricing", `host-${port}.example-${port}`);
    for (let i = 0; i < 6; i++) {
      const result = discovery.discover("pricing", pro, "round_robin");
      expect(hex(answers.encode(result, binary, true))).toBe(hex(binary.serialize(discoveryToProto(result))));
    }
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
