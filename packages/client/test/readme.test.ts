import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readmeExample } from "./readme-example.js";
import { useResources } from "./support/resources.js";

const readmeUrl = new URL("../README.md", import.meta.url);
const exampleUrl = new URL("./readme-example.ts", import.meta.url);

function region(source: string): string[] {
  const lines = source.split("\n");
  const start = lines.findIndex((line) => line.includes("// readme:start"));
  const end = lines.findIndex((line) => line.includes("// readme:end"));
  return lines.slice(start + 1, end).map((line) => line.trim());
}

describe("README", () => {
  const resources = useResources();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("shows the example that this test runs", async () => {
    const readme = await readFile(readmeUrl, "utf8");
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const shown = block.split("\n").map((line) => line.trim());
    const example = region(await readFile(exampleUrl, "utf8"));
    expect(example.length).toBeGreaterThan(0);
    const at = shown.indexOf(example[0]!);
    expect(shown.slice(at, at + example.length)).toEqual(example);
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
