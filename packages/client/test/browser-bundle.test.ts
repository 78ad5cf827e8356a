import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const dist = join(packageDir, "dist");

// What must never reach a browser: Node built-ins by any spelling, and the Node-only packages.
const nodeOnly = [
  /\bfrom\s*["']node:/,
  /\bimport\(\s*["']node:/,
  /\brequire\(\s*["'](node:|http|https|http2|net|tls|fs|zlib|stream|url|os|child_process)["']\)/,
  /["']@connectrpc\/connect-node["']/,
  /["']@hub\/transport-fallback["']/,
];

/** The built file and every file of the package it imports by relative path, transitively. */
async function importGraph(entry: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    const source = await readFile(file, "utf8");
    files.set(file, source);
    for (const match of source.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      pending.push(join(dirname(file), match[1]!));
    }
  }
  return files;
}

describe("the browser entry point", () => {
  it.each(["web.js", "web.cjs"])(
    "dist/%s imports nothing Node-only, directly or through its chunks",
    async (name) => {
      const files = await importGraph(join(dist, name));
      expect(files.size).toBeGreaterThan(0);
      for (const [file, source] of files) {
        for (const pattern of nodeOnly) {
          expect({ file, match: pattern.exec(source)?.[0] }).toEqual({ file, match: undefined });
        }
      }
      expect([...files.values()].some((source) => source.includes("@connectrpc/connect-web"))).toBe(true);
    },
  );

  it("is what a bundler picks for `@hub/client` in a browser, and bundles with every dependency for one", async () => {
    const result = await build({
      stdin: {
        contents: 'export { createHubClient } from "@hub/client";',
        resolveDir: packageDir,
        loader: "js",
      },
      // Metafile paths are relative to this, wherever vitest runs from.
      absWorkingDir: packageDir,
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain("dist/web.js");
    expect(inputs).not.toContain("dist/index.js");
    expect(inputs.filter((input) => /connect-node|transport-fallback/.test(input))).toEqual([]);
    const bundle = result.outputFiles[0]!.text;
    for (const pattern of nodeOnly) expect(pattern.exec(bundle)?.[0]).toBeUndefined();
  });

  it("is also reachable as the `@hub/client/web` subpath", async () => {
    const packageJson = JSON.parse(await readFile(join(packageDir, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    expect(packageJson.exports["./web"]).toEqual({
      import: { types: "./dist/web.d.ts", default: "./dist/web.js" },
      require: { types: "./dist/web.d.cts", default: "./dist/web.cjs" },
    });
    expect(packageJson.exports["."]).toMatchObject({ browser: packageJson.exports["./web"] });
  });
});
