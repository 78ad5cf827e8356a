import { describe, expect, it } from "vitest";
import { bearerToken, constantTimeEqual } from "./constant-time.js";

describe("constantTimeEqual", () => {
  it.each([
    ["s3cret-token", "s3cret-token", true],
    ["s3cret-token", "s3cret-tokeN", false],
    ["short", "longer-value", false],
    ["", "", true],
    ["", "x", false],
    ["prefix", "prefix-and-more", false],
    ["é", "e\u0301", false],
  ])("compares %j and %j: %s", (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
    expect(constantTimeEqual(b, a)).toBe(expected);
  });

  it("compares bytes too, and bytes with strings as UTF-8", () => {
    expect(constantTimeEqual(Buffer.from([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(Buffer.from([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
    expect(constantTimeEqual(Buffer.from("abc"), "abc")).toBe(true);
  });

  it("never throws on different lengths, unlike crypto.timingSafeEqual", () => {
    expect(() => constantTimeEqual("a", "a".repeat(10_000))).not.toThrow();
  });
});

describe("bearerToken", () => {
  it.each([
    ["Bearer abc.def", "abc.def"],
    ["bearer abc", "abc"],
    ["BEARER   abc  ", "abc"],
    ["Basic abc", undefined],
    ["Bearer", undefined],
    ["Bearer a b", undefined],
    [undefined, undefined],
  ])("reads %j as %j", (authorization, expected) => {
    expect(bearerToken({ authorization })).toBe(expected);
  });
});
