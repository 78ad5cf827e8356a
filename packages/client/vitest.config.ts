import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Integration tests start hub processes and a browser; unit tests finish in milliseconds anyway.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
