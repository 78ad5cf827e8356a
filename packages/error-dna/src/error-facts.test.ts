import { describe, expect, it } from "vitest";
import { errorFacts } from "./error-facts.js";

describe("errorFacts", () => {
  it("reads name, message, code and stack from an Error", () => {
    const error = Object.assign(new TypeError("bad input"), { code: "ERR_BAD" });
    const facts = errorFacts(error, undefined);
    expect(facts).toMatchObject({
      name: "TypeError",
      message: "bad input",
      code: "ERR_BAD",
      status: undefined,
    });
    expect(facts.stack).toContain("bad input");
  });

  it("reads the status of HTTP client errors", () => {
    expect(errorFacts({ message: "failed", response: { status: 502 } }, undefined).status).toBe(502);
    expect(errorFacts({ message: "failed", statusCode: 404 }, undefined).status).toBe(404);
  });

  it("takes the code of the cause when the error has none", () => {
    expect(
      errorFacts(
        new Error("fetch failed", { cause: Object.assign(new Error("x"), { code: "ECONNRESET" }) }),
        undefined,
      ).code,
    ).toBe("ECONNRESET");
  });

  it("fills in code and status from the context", () => {
    expect(errorFacts(new Error("x"), { code: 23505, status: 409 })).toMatchObject({
      code: "23505",
      status: 409,
    });
  });

  it("splits a logged stack into header and frames", () => {
    const facts = errorFacts(
      "RangeError: index 7 out of range\n    at get (/app/src/list.js:3:9)",
      undefined,
    );
    expect(facts).toMatchObject({ name: "RangeError", message: "index 7 out of range" });
    expect(facts.stack).toBe("    at get (/app/src/list.js:3:9)");
  });

  it("treats a plain string as a message without a name", () => {
    expect(errorFacts("disk full on /dev/sda1", undefined)).toMatchObject({
      name: undefined,
      message: "disk full on /dev/sda1",
      stack: undefined,
    });
  });

  it("finds an HTTP status in a message", () => {
    expect(errorFacts("Request failed with status code 503", undefined).status).toBe(503);
  });

  it("turns other values into a message", () => {
    expect(errorFacts(42, undefined).message).toBe("42");
    expect(errorFacts({ reason: "nope" }, undefined).message).toBe('{"reason":"nope"}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorFacts(cyclic, undefined).message).toBe("[object Object]");
  });
});
