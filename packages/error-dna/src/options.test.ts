import { describe, expect, it } from "vitest";
import { systemClock } from "./clock.js";
import { ErrorDnaError } from "./error-dna-error.js";
import {
  errorDnaDefaults,
  resolveErrorDnaOptions,
  resolvePinoIntegrationOptions,
  validateRule,
} from "./options.js";

describe("resolveErrorDnaOptions", () => {
  it("applies the documented defaults", () => {
    expect(errorDnaDefaults).toMatchInlineSnapshot(`
      {
        "builtinRules": true,
        "maxPatterns": 1000,
        "maxSamplesPerPattern": 5,
        "maxSuggestions": 5,
        "maxTokens": 200,
        "mergeThreshold": 3,
        "pino": {
          "errorKey": "err",
          "key": "errorDna",
          "minLevel": 50,
        },
        "spike": {
          "baselineMs": 3600000,
          "factor": 3,
          "minCount": 5,
          "windowMs": 300000,
        },
        "stackFrames": 3,
      }
    `);
    const resolved = resolveErrorDnaOptions(undefined);
    expect(resolved.clock).toBe(systemClock);
    expect(resolved.rootDir).toBe(process.cwd());
    expect(resolved.rules).toEqual([]);
    expect(resolved.spike).toEqual(errorDnaDefaults.spike);
  });

  it("keeps given values", () => {
    const clock = { now: () => 1 };
    const resolved = resolveErrorDnaOptions({ clock, maxPatterns: 10, spike: { factor: 5 } });
    expect(resolved.clock).toBe(clock);
    expect(resolved.maxPatterns).toBe(10);
    expect(resolved.spike).toEqual({ ...errorDnaDefaults.spike, factor: 5 });
  });

  it.each([
    [{ maxPatterns: 0 }, "maxPatterns"],
    [{ mergeThreshold: 1.5 }, "mergeThreshold"],
    [{ clock: { now: 3 } }, "clock"],
    [{ spike: { windowMs: -1 } }, "spike.windowMs"],
    [{ rules: [{ id: "r", match: {}, actions: [] }] }, "rules.0.match"],
    [{ maxPatern: 3 }, "(root)"],
  ])("rejects %j naming %s", (input, path) => {
    let thrown: unknown;
    try {
      resolveErrorDnaOptions(input as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ErrorDnaError);
    expect((thrown as ErrorDnaError).code).toBe("INVALID_OPTIONS");
    expect((thrown as ErrorDnaError).message).toContain(path);
  });
});

describe("validateRule", () => {
  it("rejects a rule without an id with INVALID_RULE", () => {
    expect(() => validateRule({ id: "", match: { codes: ["X"] }, actions: [] })).toThrow(
      expect.objectContaining({ code: "INVALID_RULE", message: expect.stringContaining("id") }),
    );
  });

  it("rejects an unknown category", () => {
    expect(() =>
      validateRule({ id: "r", match: { codes: ["X"] }, category: "weather" as never, actions: [] }),
    ).toThrow(/category/);
  });
});

describe("resolvePinoIntegrationOptions", () => {
  it("applies defaults and rejects unknown keys", () => {
    expect(resolvePinoIntegrationOptions(undefined)).toEqual(errorDnaDefaults.pino);
    expect(() => resolvePinoIntegrationOptions({ level: 3 } as never)).toThrow(ErrorDnaError);
  });
});
