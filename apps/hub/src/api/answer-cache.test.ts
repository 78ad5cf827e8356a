import { describe, expect, it } from "vitest";
import { AnswerCache } from "./answer-cache.js";

const key = (scope: object, generation: number, audience: string) => ({
  scope,
  generation,
  audience,
  spliceable: true,
});

/** A cache over one service whose values say which audience they are for and when they were built. */
function oneService() {
  const cache = new AnswerCache<string>();
  const service = {};
  let built = 0;
  return {
    get: (generation: number, audience: string) =>
      cache.getOrCreate(key(service, generation, audience), () => `${audience}#${++built}`),
    built: () => built,
  };
}

describe("AnswerCache", () => {
  it("builds a value once per service state and audience, for the first audience and the others", () => {
    const { get, built } = oneService();
    expect(get(1, "all")).toBe("all#1");
    expect(get(1, "free")).toBe("free#2");
    expect(get(1, "pro")).toBe("pro#3");
    expect([get(1, "all"), get(1, "free"), get(1, "pro")]).toEqual(["all#1", "free#2", "pro#3"]);
    expect(built()).toBe(3);
  });

  it("drops every audience's value when the service changes", () => {
    const { get } = oneService();
    get(1, "all");
    get(1, "free");
    expect(get(2, "free")).toBe("free#3");
    expect(get(2, "all")).toBe("all#4");
  });

  it("keeps services apart", () => {
    const cache = new AnswerCache<string>();
    const [a, b] = [{}, {}];
    expect(cache.getOrCreate(key(a, 1, "all"), () => "a")).toBe("a");
    expect(cache.getOrCreate(key(b, 1, "all"), () => "b")).toBe("b");
    expect(cache.getOrCreate(key(a, 1, "all"), () => "again")).toBe("a");
  });
});
