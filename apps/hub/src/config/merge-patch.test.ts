import { describe, expect, it } from "vitest";
import { mergePatch } from "./merge-patch.js";

describe("mergePatch", () => {
  it.each([
    ["merges objects key by key", { a: { x: 1, y: 2 } }, { a: { y: 3 } }, { a: { x: 1, y: 3 } }],
    ["removes a key set to null", { a: 1, b: 2 }, { b: null }, { a: 1 }],
    ["replaces arrays whole", { a: [1, 2] }, { a: [3] }, { a: [3] }],
    ["replaces a scalar with an object", { a: 1 }, { a: { b: 1 } }, { a: { b: 1 } }],
    ["drops nulls inside new objects", {}, { a: { b: null, c: 1 } }, { a: { c: 1 } }],
  ])("%s", (_title, target, patch, expected) => {
    const before = structuredClone(target);
    expect(mergePatch(target, patch)).toEqual(expected);
    expect(target).toEqual(before);
  });
});
