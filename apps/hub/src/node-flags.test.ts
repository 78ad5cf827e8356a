import { describe, expect, it } from "vitest";
import { memoryReducerOff } from "./node-flags.js";

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
