import pino from "pino";
import { describe, expect, it } from "vitest";
import { createErrorDnaMixin, createErrorDnaSerializer, ErrorDNA } from "../src/index.js";

// A capturing sink: pino writes each line to `write`, synchronously.
function capture() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    stream: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  };
}

function refused(port: number): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: "ECONNREFUSED" });
}

describe("pino integration", () => {
  it("adds DNA fields to error lines through the mixin", () => {
    const { lines, stream } = capture();
    const logger = pino({ mixin: createErrorDnaMixin(new ErrorDNA("checkout")) }, stream);
    logger.error(refused(5432));
    logger.error({ err: refused(5433) }, "database down");
    logger.info("all good");
    expect(lines).toHaveLength(3);
    const [first, second, info] = lines as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    const dnaOf = (line: Record<string, unknown>) =>
      line.errorDna as { patternId: string; suggestions: string[] };
    expect(first.errorDna).toMatchObject({
      template: "connect ECONNREFUSED <*>",
      category: "network",
      severity: "high",
      occurrences: 1,
    });
    expect(second.errorDna).toMatchObject({ patternId: dnaOf(first).patternId, occurrences: 2 });
    expect(dnaOf(second).suggestions.length).toBeGreaterThan(0);
    expect(second.msg).toBe("database down");
    expect(info.errorDna).toBeUndefined();
  });

  it("skips levels below minLevel and honours key and errorKey", () => {
    const { lines, stream } = capture();
    const mixin = createErrorDnaMixin(new ErrorDNA("checkout"), {
      key: "dna",
      errorKey: "error",
      minLevel: 40,
    });
    const logger = pino({ mixin, errorKey: "error" }, stream);
    logger.warn({ error: refused(1) }, "retrying");
    logger.info({ error: refused(2) }, "noted");
    expect(lines[0]?.dna).toMatchObject({ category: "network" });
    expect(lines[1]?.dna).toBeUndefined();
  });

  it("adds DNA fields inside the serialized error", () => {
    const { lines, stream } = capture();
    const logger = pino({ serializers: { err: createErrorDnaSerializer(new ErrorDNA("checkout")) } }, stream);
    logger.error({ err: refused(6379) }, "cache down");
    const err = lines[0]?.err as Record<string, unknown>;
    expect(err).toMatchObject({
      type: "Error",
      message: "connect ECONNREFUSED 127.0.0.1:6379",
      code: "ECONNREFUSED",
    });
    expect(err.stack).toContain("ECONNREFUSED");
    expect(err.errorDna).toMatchObject({ category: "network", template: "connect ECONNREFUSED <*>" });
  });
});
