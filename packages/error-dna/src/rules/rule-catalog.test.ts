import { describe, expect, it } from "vitest";
import type { ErrorCategory, Severity } from "../categories.js";
import { type ErrorContext, errorFacts } from "../error-facts.js";
import { builtinRules } from "./builtin-rules.js";
import { RuleCatalog } from "./rule-catalog.js";

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function withStatus(message: string, status: number): Error {
  return Object.assign(new Error(message), { status });
}

const catalog = new RuleCatalog(builtinRules);

describe("RuleCatalog with the built-in rules", () => {
  it.each<[string, unknown, ErrorContext | undefined, ErrorCategory, Severity, string]>([
    [
      "ECONNREFUSED",
      withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      undefined,
      "network",
      "high",
      "connection-refused",
    ],
    [
      "ECONNREFUSED in a plain log line",
      "connect ECONNREFUSED 10.0.0.2:6379",
      undefined,
      "network",
      "high",
      "connection-refused",
    ],
    [
      "ENOTFOUND",
      withCode("getaddrinfo ENOTFOUND db.internal", "ENOTFOUND"),
      undefined,
      "network",
      "high",
      "dns-failure",
    ],
    [
      "ECONNRESET",
      withCode("socket hang up", "ECONNRESET"),
      undefined,
      "network",
      "high",
      "connection-reset",
    ],
    [
      "ETIMEDOUT",
      withCode("connect ETIMEDOUT 10.0.0.3:443", "ETIMEDOUT"),
      undefined,
      "timeout",
      "medium",
      "timed-out",
    ],
    [
      "a timeout message",
      "query timed out after 30000 ms",
      undefined,
      "timeout",
      "medium",
      "timeout-message",
    ],
    ["504", withStatus("gateway timeout", 504), undefined, "timeout", "medium", "timeout-status"],
    [
      "SQLITE_BUSY",
      withCode("SQLITE_BUSY: database is locked", "SQLITE_BUSY"),
      undefined,
      "database",
      "high",
      "sqlite-busy",
    ],
    [
      "a Postgres unique violation",
      withCode('duplicate key value violates unique constraint "users_email_key"', "23505"),
      undefined,
      "database",
      "medium",
      "unique-violation",
    ],
    [
      "401",
      withStatus("Request failed with status code 401", 401),
      undefined,
      "auth",
      "medium",
      "unauthenticated",
    ],
    ["403 from the context", new Error("request rejected"), { status: 403 }, "auth", "medium", "forbidden"],
    [
      "a status in the message",
      "upstream replied HTTP/1.1 403 Forbidden",
      undefined,
      "auth",
      "medium",
      "forbidden",
    ],
    ["429", withStatus("Too Many Requests", 429), undefined, "resource_exhausted", "high", "rate-limited"],
    [
      "ENOMEM",
      withCode("spawn ENOMEM", "ENOMEM"),
      undefined,
      "resource_exhausted",
      "critical",
      "out-of-memory",
    ],
    [
      "heap exhaustion",
      "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
      undefined,
      "resource_exhausted",
      "critical",
      "heap-exhausted-message",
    ],
    [
      "EMFILE",
      withCode("open /tmp/x: too many open files", "EMFILE"),
      undefined,
      "resource_exhausted",
      "critical",
      "file-descriptors",
    ],
    ["503", withStatus("Service Unavailable", 503), undefined, "dependency", "high", "upstream-unavailable"],
    [
      "a missing module",
      withCode("Cannot find module 'left-pad'", "MODULE_NOT_FOUND"),
      undefined,
      "dependency",
      "critical",
      "missing-module",
    ],
    [
      "EADDRINUSE",
      withCode("listen EADDRINUSE: address already in use :::3000", "EADDRINUSE"),
      undefined,
      "configuration",
      "critical",
      "address-in-use",
    ],
    [
      "a missing env var",
      "missing required environment variable DATABASE_URL",
      undefined,
      "configuration",
      "high",
      "configuration-message",
    ],
    [
      "a ZodError",
      Object.assign(new Error("email: Invalid email"), { name: "ZodError" }),
      undefined,
      "validation",
      "low",
      "validation-name",
    ],
    ["422", withStatus("Unprocessable Entity", 422), undefined, "validation", "low", "validation-status"],
    [
      "anything else",
      new Error("the flux capacitor broke"),
      undefined,
      "unknown",
      "medium",
      "unknown-advice",
    ],
  ])("classifies %s", (_case, error, context, category, severity, rule) => {
    const result = catalog.classify(errorFacts(error, context), 5);
    expect(result.category).toBe(category);
    expect(result.severity).toBe(severity);
    expect(result.matchedRules).toContain(rule);
    expect(result.actions.length).toBeGreaterThan(0);
  });

  it("adds the category's generic advice after the specific one", () => {
    const result = catalog.classify(
      errorFacts(withCode("connect ECONNREFUSED 127.0.0.1:80", "ECONNREFUSED"), undefined),
      10,
    );
    expect(result.matchedRules).toEqual(["connection-refused", "network-advice"]);
    expect(result.actions.at(-1)).toMatch(/circuit breaker/);
  });

  it("returns at most maxActions suggestions without duplicates", () => {
    const result = catalog.classify(errorFacts("query timed out after 5 s", undefined), 1);
    expect(result.actions).toHaveLength(1);
  });

  it("reports the code it found in the message", () => {
    expect(catalog.classify(errorFacts("read ECONNRESET", undefined), 5).code).toBe("ECONNRESET");
  });
});

describe("RuleCatalog with custom rules", () => {
  it("tries added rules first, so they override the category and add their actions", () => {
    const custom = new RuleCatalog(builtinRules);
    custom.add({
      id: "payments-gateway",
      match: { pattern: /payment gateway/i, codes: ["ECONNREFUSED"] },
      category: "dependency",
      severity: "critical",
      actions: ["Page the payments on-call"],
    });
    const result = custom.classify(
      errorFacts(withCode("payment gateway: connect ECONNREFUSED 10.9.0.1:443", "ECONNREFUSED"), undefined),
      10,
    );
    expect(result.category).toBe("dependency");
    expect(result.severity).toBe("critical");
    expect(result.actions[0]).toBe("Page the payments on-call");
    expect(result.matchedRules.slice(0, 2)).toEqual(["payments-gateway", "connection-refused"]);
  });

  it("requires every kind of a rule's match (codes AND pattern)", () => {
    const custom = new RuleCatalog([
      { id: "only-both", match: { codes: ["E1"], pattern: /billing/ }, category: "database", actions: ["x"] },
    ]);
    expect(custom.classify(errorFacts(withCode("billing failed", "E2"), undefined), 5).category).toBe(
      "unknown",
    );
    expect(custom.classify(errorFacts(withCode("billing failed", "E1"), undefined), 5).category).toBe(
      "database",
    );
  });

  it("replaces a rule with the same id", () => {
    const custom = new RuleCatalog(builtinRules);
    custom.add({
      id: "connection-refused",
      match: { codes: ["ECONNREFUSED"] },
      category: "dependency",
      actions: ["Check the sidecar"],
    });
    expect(custom.rules.filter((r) => r.id === "connection-refused")).toHaveLength(1);
    expect(custom.classify(errorFacts("connect ECONNREFUSED 1.2.3.4:5", undefined), 5).category).toBe(
      "dependency",
    );
  });

  it("applies category rules to every error of that category", () => {
    const custom = new RuleCatalog(builtinRules);
    custom.add({ id: "db-runbook", match: { category: "database" }, actions: ["Open the database runbook"] });
    const result = custom.classify(
      errorFacts(withCode("SQLITE_BUSY: database is locked", "SQLITE_BUSY"), undefined),
      10,
    );
    expect(result.actions).toContain("Open the database runbook");
  });

  it("does not keep state in global regular expressions between calls", () => {
    const custom = new RuleCatalog([
      { id: "g", match: { pattern: /flaky/g }, category: "network", actions: ["x"] },
    ]);
    expect(custom.classify(errorFacts("flaky link", undefined), 5).category).toBe("network");
    expect(custom.classify(errorFacts("flaky link", undefined), 5).category).toBe("network");
  });
});
