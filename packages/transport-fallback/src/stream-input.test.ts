import { describe, expect, it } from "vitest";
import { prepareStreamInput } from "./stream-input.js";

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function* generate<T>(...items: T[]): AsyncGenerator<T> {
  yield* items;
}

describe("prepareStreamInput", () => {
  it("replays a server-streaming request to every attempt", async () => {
    const input = await prepareStreamInput("server_streaming", generate("request"));
    expect(await collect(input.next())).toEqual(["request"]);
    expect(input.canReplay()).toBe(true);
    expect(await collect(input.next())).toEqual(["request"]);
  });

  it("hands unread client-streaming input to a later attempt intact", async () => {
    const input = await prepareStreamInput("client_streaming", generate(1, 2, 3));
    const first = input.next()[Symbol.asyncIterator]();
    // The failed attempt's transport closes its input before reading anything.
    await first.return?.();
    expect(input.canReplay()).toBe(true);
    expect(await collect(input.next())).toEqual([1, 2, 3]);
  });

  it("refuses a replay once an attempt has read from bidi input", async () => {
    const input = await prepareStreamInput("bidi_streaming", generate(1, 2));
    const first = input.next()[Symbol.asyncIterator]();
    expect(await first.next()).toEqual({ done: false, value: 1 });
    expect(input.canReplay()).toBe(false);
    await first.return?.();
    expect(await collect(input.next())).toEqual([]);
  });
});
