import { describe, expect, it } from "vitest";
import { ErrorDNA } from "./error-dna.js";
import { ErrorDnaError } from "./error-dna-error.js";

function fakeClock(start = 0) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

function thrownAt(message: string, frames: readonly string[], name = "Error"): Error {
  const error = new Error(message);
  error.name = name;
  error.stack = `${name}: ${message}\n${frames.map((f) => `    at ${f}`).join("\n")}`;
  return error;
}

describe("ErrorDNA.analyze", () => {
  it("returns pattern, template, category, suggestions and counts", () => {
    const clock = fakeClock(1000);
    const dna = new ErrorDNA("checkout", { clock });
    const error = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" });
    const first = dna.analyze(error);
    clock.advance(500);
    const second = dna.analyze(
      Object.assign(new Error("connect ECONNREFUSED 10.0.0.6:5432"), { code: "ECONNREFUSED" }),
    );
    expect(second).toMatchObject({
      service: "checkout",
      patternId: first.patternId,
      fingerprint: first.fingerprint,
      template: "connect ECONNREFUSED <*>",
      errorName: "Error",
      code: "ECONNREFUSED",
      category: "network",
      severity: "high",
      occurrences: 2,
      firstSeen: 1000,
      lastSeen: 1500,
      spiking: false,
    });
    expect(second.suggestions[0]).toMatch(/running and listening/);
    expect(second.matchedRules).toContain("connection-refused");
  });

  it("groups plain log messages that differ only in variable parts", () => {
    const dna = new ErrorDNA("api");
    const ids = [
      "payment 1001 declined for user anna",
      "payment 1002 declined for user bert",
      "payment 1003 declined for user carl",
    ].map((m) => dna.analyze(m).patternId);
    const current = ids.map((id) => dna.resolve(id));
    expect(new Set(current).size).toBe(1);
    expect(dna.pattern(ids[0] as string)).toMatchObject({
      template: "payment <*> declined for user <*>",
      occurrences: 3,
    });
  });

  it("groups the same bug thrown from two deploys and separates different throw sites", () => {
    const dna = new ErrorDNA("api", { rootDir: "/nowhere" });
    const a = dna.analyze(
      thrownAt(
        "Cannot read properties of undefined (reading 'id')",
        ["loadUser (/srv/v41/dist/users.js:42:17)", "handle (/srv/v41/dist/router.js:9:3)"],
        "TypeError",
      ),
    );
    const b = dna.analyze(
      thrownAt(
        "Cannot read properties of undefined (reading 'id')",
        ["loadUser (/srv/v42/dist/users.js:57:2)", "handle (/srv/v42/dist/router.js:11:8)"],
        "TypeError",
      ),
    );
    const c = dna.analyze(
      thrownAt(
        "Cannot read properties of undefined (reading 'id')",
        ["saveUser (/srv/v42/dist/users.js:80:2)", "handle (/srv/v42/dist/router.js:11:8)"],
        "TypeError",
      ),
    );
    expect(b.patternId).toBe(a.patternId);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b.occurrences).toBe(2);
    expect(c.patternId).not.toBe(a.patternId);
    // Outside rootDir, paths keep their last three segments with digit runs masked.
    expect(a.stack).toEqual(["loadUser (v<*>/dist/users.js)", "handle (v<*>/dist/router.js)"]);
  });

  it("groups by type and message only when stackFrames is 0", () => {
    const dna = new ErrorDNA("api", { stackFrames: 0 });
    const a = dna.analyze(thrownAt("boom", ["f (/app/a.js:1:1)"]));
    const b = dna.analyze(thrownAt("boom", ["g (/app/b.js:1:1)"]));
    expect(b.patternId).toBe(a.patternId);
  });

  it("keeps memory bounded under many distinct patterns", () => {
    const dna = new ErrorDNA("api", { maxPatterns: 50, maxSamplesPerPattern: 2 });
    const recurring = dna.analyze("database connection lost");
    for (let i = 0; i < 1000; i++) {
      // Distinct wording (not just values) makes every message its own pattern.
      dna.analyze(`unexpected ${words(i)} happened`);
      if (i % 100 === 0) dna.analyze("database connection lost");
    }
    const patterns = dna.patterns();
    expect(patterns.length).toBeLessThanOrEqual(50);
    expect(patterns.every((p) => p.samples.length <= 2)).toBe(true);
    expect(dna.pattern(recurring.patternId)?.occurrences).toBe(11);
  });

  it("marks a burst as spiking and raises its severity (fake clock)", () => {
    const clock = fakeClock(0);
    const dna = new ErrorDNA("api", {
      clock,
      spike: { windowMs: 60_000, baselineMs: 600_000, factor: 3, minCount: 5 },
    });
    // Baseline: one error every 2 minutes for 10 minutes.
    for (let i = 0; i < 5; i++) {
      dna.analyze("query timed out after 3000 ms");
      clock.advance(120_000);
    }
    const calm = dna.analyze("query timed out after 3000 ms");
    expect(calm.spiking).toBe(false);
    expect(calm.severity).toBe("medium");
    let burst = calm;
    for (let i = 0; i < 6; i++) {
      clock.advance(5_000);
      burst = dna.analyze("query timed out after 3100 ms");
    }
    expect(burst.spiking).toBe(true);
    expect(burst.severity).toBe("high");
    expect(burst.rate.recentPerMinute).toBe(7);
    expect(dna.patterns()[0]?.spiking).toBe(true);
  });

  it("applies custom rules added later before the built-in ones", () => {
    const dna = new ErrorDNA("api", {
      rules: [
        {
          id: "ledger",
          match: { pattern: /ledger/ },
          category: "database",
          actions: ["Check the ledger replica"],
        },
      ],
    });
    expect(dna.analyze("ledger write rejected").category).toBe("database");
    dna.addRule({
      id: "ledger-v2",
      match: { pattern: /ledger/ },
      category: "dependency",
      severity: "critical",
      actions: ["Page the ledger team"],
    });
    const result = dna.analyze("ledger write rejected");
    expect(result).toMatchObject({ category: "dependency", severity: "critical" });
    expect(result.suggestions.slice(0, 2)).toEqual(["Page the ledger team", "Check the ledger replica"]);
  });

  it("can run without the built-in catalog", () => {
    const dna = new ErrorDNA("api", { builtinRules: false });
    expect(dna.analyze("connect ECONNREFUSED 1.2.3.4:80")).toMatchObject({
      category: "unknown",
      suggestions: [],
    });
  });

  it("keeps the context with the samples", () => {
    const dna = new ErrorDNA("api");
    const { patternId } = dna.analyze("order 7 failed", { route: "/orders", status: 500 });
    expect(dna.pattern(patternId)?.samples[0]?.context).toEqual({ route: "/orders", status: 500 });
  });

  it("rejects an empty service name and bad options", () => {
    expect(() => new ErrorDNA("")).toThrow(ErrorDnaError);
    expect(() => new ErrorDNA("api", { maxPatterns: -1 })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
    expect(() => new ErrorDNA("api").addRule({ id: "x", match: {}, actions: [] })).toThrow(
      expect.objectContaining({ code: "INVALID_RULE" }),
    );
  });
});

// A distinct lower-case word per number, so messages differ in wording, not in values.
function words(n: number): string {
  let out = "";
  let rest = n;
  do {
    out += String.fromCharCode(97 + (rest % 26));
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return `${out}x ${out}y`;
}
