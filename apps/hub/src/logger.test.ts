import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

/** A pino destination that keeps every line, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
}

describe("createLogger", () => {
  it("writes JSON lines at or above the configured level, tagged with the service", () => {
    const sink = capture();
    const logger = createLogger({ logLevel: "info", serviceName: "central-hub" }, sink);
    logger.debug("hidden");
    logger.info({ port: 7000 }, "listening");
    expect(sink.lines).toEqual([
      expect.objectContaining({ level: 30, service: "central-hub", port: 7000, msg: "listening" }),
    ]);
    expect(sink.lines[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("logs nothing at level silent", () => {
    const sink = capture();
    createLogger({ logLevel: "silent", serviceName: "central-hub" }, sink).fatal("boom");
    expect(sink.lines).toEqual([]);
  });

  it("redacts credentials in logged headers", () => {
    const sink = capture();
    const logger = createLogger({ logLevel: "info", serviceName: "central-hub" }, sink);
    logger.info({ headers: { authorization: "Bearer secret", "x-company-id": "acme" } }, "request");
    expect(sink.lines[0]?.headers).toEqual({ authorization: "[redacted]", "x-company-id": "acme" });
  });
});
