import { defineConfig } from "vitest/config";

// These tests start real processes (the hub, the example services, Python), so they get
// generous timeouts; every wait inside them is a bounded poll, never a blind sleep.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
