import * as http from "node:http";
import type * as net from "node:net";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { DiscoveryService } from "@hub/proto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readmeExampleLines } from "@hub/test-support";
import { readmeExample } from "./readme-example.js";

const readmeUrl = new URL("../README.md", import.meta.url);
const exampleUrl = new URL("./readme-example.ts", import.meta.url);

describe("README", () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    const open = server;
    server = undefined;
    if (open)
      await new Promise<void>((resolve, reject) =>
        open.close((error) => (error ? reject(error) : resolve())),
      );
  });

  it("shows the example that this test runs", async () => {
    const { example, shown } = await readmeExampleLines(readmeUrl, exampleUrl);
    expect(example.length).toBeGreaterThan(0);
    expect(shown).toEqual(example);
  });

  it("runs the example against a real Connect server", async () => {
    const routes = connectNodeAdapter({
      routes: (router) =>
        router.service(DiscoveryService, {
          discover: (request) => ({
            serviceName: request.name,
            recommendedEndpoint: "http://data-bridge:8001",
          }),
        }),
    });
    server = http.createServer(routes);
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    vi.spyOn(console, "log").mockImplementation(() => {});
    await expect(readmeExample(`http://127.0.0.1:${port}`)).resolves.toBe("http://data-bridge:8001");
  });
});
