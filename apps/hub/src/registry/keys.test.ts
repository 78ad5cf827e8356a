import { describe, expect, it } from "vitest";
import { parseRegistryKey, registryKey } from "./keys.js";

describe("registry keys", () => {
  it("split back into what made them", () => {
    for (const kind of ["instances", "alive", "checks"] as const) {
      expect(parseRegistryKey(registryKey(kind, "pricing", "10.0.0.1-8080"))).toEqual({
        kind,
        name: "pricing",
        id: "10.0.0.1-8080",
      });
    }
  });

  it("keep slashes in the id, and refuse other modules' keys and malformed ones", () => {
    expect(parseRegistryKey("/hub/registry/alive/pricing/a/b")).toEqual({
      kind: "alive",
      name: "pricing",
      id: "a/b",
    });
    expect(parseRegistryKey("/hub/registry/alive/pricing/")).toEqual({
      kind: "alive",
      name: "pricing",
      id: "",
    });
    expect(parseRegistryKey("/hub/config/global")).toBeUndefined();
    expect(parseRegistryKey("/hub/registry/aliveish/pricing/a")).toBeUndefined();
    expect(parseRegistryKey("/hub/registry/alive")).toBeUndefined();
    expect(parseRegistryKey("/hub/registry/alive/pricing")).toBeUndefined();
    expect(parseRegistryKey("/hub/registry/alive//a")).toBeUndefined();
  });
});
