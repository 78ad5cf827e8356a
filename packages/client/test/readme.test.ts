import { afterEach, describe, expect, it, vi } from "vitest";
import { readmeExampleLines } from "@hub/test-support";
import { readmeExample } from "./readme-example.js";
import { useResources } from "./support/resources.js";

const readmeUrl = new URL("../README.md", import.meta.url);
const exampleUrl = new URL("./readme-example.ts", import.meta.url);

describe("README", () => {
  const resources = useResources();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("shows the example that this test runs", async () => {
    const { example, shown } = await readmeExampleLines(readmeUrl, exampleUrl);
    expect(example.length).toBeGreaterThan(0);
    expect(shown).toEqual(example);
  });

  it("runs the example against a real hub", async () => {
    const hub = await resources.hub();
    const other = resources.client({ hubUrls: [hub.url] });
    await other.register({
      name: "risk-management",
      host: "127.0.0.1",
      port: 8002,
      healthCheck: { disabled: true },
    });
    vi.spyOn(console, "log").mockImplementation(() => {});
    await expect(readmeExample(hub.url)).resolves.toBe("http://127.0.0.1:8002");
    expect(console.log).toHaveBeenCalledWith("http://127.0.0.1:8002", 0);
  });
});
