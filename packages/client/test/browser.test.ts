import { existsSync } from "node:fs";
import * as http from "node:http";
import type * as net from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { useResources } from "./support/resources.js";

const chromiumPath = "/usr/bin/chromium";
const packageDir = fileURLToPath(new URL("..", import.meta.url));

// The page imports the package by name, so the bundler picks the "browser" export condition
// (dist/web.js) exactly as an application's bundler would.
const pageSource = `
import { createHubClient } from "@hub/client";
const hubUrl = new URLSearchParams(location.search).get("hub");
async function discoverWith(protocol) {
  const client = createHubClient({ hubUrls: [hubUrl], protocol });
  try {
    const result = await client.discover("data-bridge");
    return { protocol, url: result.recommended.url, source: result.source, state: client.cacheState().connected };
  } finally {
    await client.close();
  }
}
Promise.all([discoverWith("connect"), discoverWith("grpc-web")]).then(
  (results) => { window.hubResult = results; },
  (error) => { window.hubError = String(error && error.stack || error); },
);
`;

async function servePage(bundle: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.url?.startsWith("/page.js")) {
      response.writeHead(200, { "content-type": "text/javascript" });
      response.end(bundle);
    } else {
      response.writeHead(200, { "content-type": "text/html" });
      response.end('<!doctype html><title>hub client</title><script type="module" src="/page.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The test command installs Debian's chromium (scripts/test-prerequisites.mjs); without it, fail loudly.
if (!existsSync(chromiumPath)) {
  throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium)`);
}

describe("in a browser", () => {
  const resources = useResources();
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function openPage(corsAllowedOrigins: (pageOrigin: string) => string | undefined) {
    const bundled = await build({
      stdin: { contents: pageSource, resolveDir: packageDir, loader: "js" },
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent",
    });
    const page = await servePage(bundled.outputFiles[0]!.text);
    cleanups.push(page.close);
    const allowed = corsAllowedOrigins(page.origin);
    const hub = await resources.hub(
      allowed === undefined ? {} : { args: ["--cors-allowed-origins", allowed] },
    );
    const service = resources.client({ hubUrls: [hub.url] });
    await service.register({
      name: "data-bridge",
      host: "127.0.0.1",
      port: 8001,
      healthCheck: { disabled: true },
    });

    const userDataDir = await resources.tempDir();
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    cleanups.push(() => context.close());
    const tab = await context.newPage();
    const consoleErrors: string[] = [];
    tab.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await tab.goto(`${page.origin}/?hub=${encodeURIComponent(hub.url)}`);
    await tab.waitForFunction(() => "hubResult" in window || "hubError" in window, undefined, {
      timeout: 15_000,
    });
    const outcome = await tab.evaluate(() => ({
      result: (window as unknown as { hubResult?: unknown }).hubResult,
      error: (window as unknown as { hubError?: string }).hubError,
    }));
    return { ...outcome, consoleErrors };
  }

  it("discovers a service from a hub on another origin, over Connect and gRPC-web", async () => {
    const outcome = await openPage((origin) => origin);
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toEqual([
      { protocol: "connect", url: "http://127.0.0.1:8001", source: "cache", state: true },
      { protocol: "grpc-web", url: "http://127.0.0.1:8001", source: "cache", state: true },
    ]);
    expect(outcome.consoleErrors).toEqual([]);
  });

  it("is refused by a hub that does not allow the page's origin (the page really is cross-origin)", async () => {
    const outcome = await openPage(() => undefined);
    expect(outcome.result).toBeUndefined();
    expect(outcome.error).toMatch(/no hub answered/);
  });
});
