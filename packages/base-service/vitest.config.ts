import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Integration tests start hub processes and services; unit tests finish in milliseconds anyway.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
