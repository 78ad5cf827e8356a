import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));

describe("a script whose only job is to register", () => {
  it("waits for the retries and gets UNAVAILABLE when no hub answers, instead of exiting silently", () => {
    // Regression: the client's timers were unref'd, so Node quit mid-retry with exit code 13.
    const script = `
      import { createHubClient } from ${JSON.stringify(entry)};
      const client = createHubClient({ hubUrls: ["http://127.0.0.1:1"] });
      try {
        await client.register({ name: "lonely", host: "127.0.0.1", port: 9 }, { registerTimeoutMs: 1500 });
        console.log("registered");
      } catch (error) {
        console.log("rejected " + error.reason);
      }
      await client.close();
      console.log("closed");
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual(["rejected UNAVAILABLE", "closed"]);
  });
});
