import { describe, expect, it } from "vitest";
import { hasControlCharacters, sanitizeHeaderValue } from "./header-sanitizer.js";

describe("sanitizeHeaderValue", () => {
  it.each([
    ["plain", "plain"],
    ["abc\r\nSet-Cookie: x=1", "abcSet-Cookie: x=1"],
    ["a\u0000b\u0007c\u007fd\u0085e", "abcde"],
    ["tab\there", "tabhere"],
    ["  padded  ", "padded"],
    ["ünïcödé stays", "ünïcödé stays"],
  ])("makes %j into %j", (input, expected) => {
    expect(sanitizeHeaderValue(input)).toBe(expected);
  });

  it("cuts values to maxLength (1024 by default)", () => {
    expect(sanitizeHeaderValue("x".repeat(5000))).toHaveLength(1024);
    expect(sanitizeHeaderValue("abcdef", { maxLength: 3 })).toBe("abc");
  });

  it("takes the first value of a repeated header and passes undefined through", () => {
    expect(sanitizeHeaderValue(["first\n", "second"])).toBe("first");
    expect(sanitizeHeaderValue(undefined)).toBeUndefined();
    expect(sanitizeHeaderValue([])).toBeUndefined();
  });
});

describe("hasControlCharacters", () => {
  it("finds CR, LF, NUL and DEL, and nothing in printable text", () => {
    for (const bad of ["a\rb", "a\nb", "a\u0000", "\u007f"]) expect(hasControlCharacters(bad)).toBe(true);
    expect(hasControlCharacters("company_abc-1.2")).toBe(false);
    // Called repeatedly: no regex state carried between calls.
    expect(hasControlCharacters("a\nb")).toBe(true);
  });
});
