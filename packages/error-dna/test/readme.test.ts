import { describe, expect, it } from "vitest";
import { ErrorDNA } from "../src/index.js";

// The README's smallest example, kept runnable.
describe("README example", () => {
  it("works as documented", () => {
    const dna = new ErrorDNA("checkout");

    const err = Object.assign(new Error("connect ECONNREFUSED 10.0.0.7:5432"), { code: "ECONNREFUSED" });
    const result = dna.analyze(err, { route: "/pay" });

    expect(result.template).toBe("connect ECONNREFUSED <*>");
    expect(result.category).toBe("network");
    expect(result.severity).toBe("high");
    expect(result.suggestions[0]).toBe(
      "Check that the target service is running and listening on the host and port in the message",
    );
    expect(result.occurrences).toBe(1);
  });
});
