import { describe, expect, it } from "vitest";
import { memoryReducerOff, startCommand } from "./node-flags.js";

describe("memoryReducerOff", () => {
  it("sees the flag in every spelling V8 accepts, and only the off ones", () => {
    for (const flag of [
      "--no-memory-reducer",
      "--no_memory_reducer",
      "--nomemory-reducer",
      "--memory-reducer=false",
    ])
      expect(memoryReducerOff(["--expose-gc", flag])).toBe(true);
    for (const argv of [
      [],
      ["--memory-reducer"],
      ["--memory-reducer-for-small-heaps"],
      ["--no-memory-reducer-for-small-heaps"],
    ])
      expect(memoryReducerOff(argv)).toBe(false);
  });
});

describe("startCommand", () => {
  it("names the script as the user would type it from where they are", () => {
    expect(startCommand("/srv/hub/apps/hub/dist/main.js", "/srv/hub")).toBe(
      "node --no-memory-reducer --max-semi-space-size=4 apps/hub/dist/main.js",
    );
    expect(startCommand("/srv/hub/apps/hub/dist/main.js", "/srv/hub/apps/hub")).toBe(
      "node --no-memory-reducer --max-semi-space-size=4 dist/main.js",
    );
  });
});
