import { describe, expect, it } from "vitest";
import { withProperties } from "./with-properties.js";

function spec(n: number) {
  return { name: `svc-${n}`, id: `inst-${n}`, host: "127.0.0.1", port: 10_000 + n };
}

describe("withProperties", () => {
  it("returns the base's properties followed by the extra ones, leaving both inputs alone", () => {
    const base = spec(1);
    const record = withProperties(base, { registeredAt: 5, removalLease: 7 });
    expect(record).toEqual({ ...base, registeredAt: 5, removalLease: 7 });
    expect(Object.keys(record)).toEqual(["name", "id", "host", "port", "registeredAt", "removalLease"]);
    expect(base).toEqual(spec(1));
  });
});
