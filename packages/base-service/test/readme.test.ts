import { afterEach, describe, expect, it } from "vitest";
import type { BaseService } from "../src/index.js";
import { readmeExampleLines } from "@hub/test-support";
import { readmeExample } from "./readme-example.js";
import { eventually, getJson, useResources } from "./support/resources.js";

const readmeUrl = new URL("../README.md", import.meta.url);
const exampleUrl = new URL("./readme-example.ts", import.meta.url);

describe("README", () => {
  const resources = useResources();
  let service: BaseService | undefined;
  const env = { PORT: process.env.PORT, HUB_URL: process.env.HUB_URL };

  afterEach(async () => {
    await service?.stop();
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("shows the example that this test runs", async () => {
    const { example, shown } = await readmeExampleLines(readmeUrl, exampleUrl);
    expect(example.length).toBeGreaterThan(5);
    expect(shown).toEqual(example);
  });

  it("runs the example against a real hub", async () => {
    const hub = await resources.hub();
    process.env.PORT = "0";
    process.env.HUB_URL = hub.url;
    service = await readmeExample();
    const { url } = service.address();

    const validate = (quantity: number) =>
      getJson(`${url}/risk/validate`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-company-id": "company_abc" },
        body: JSON.stringify({ quantity }),
      });
    expect(await validate(10)).toMatchObject({
      status: 200,
      body: { success: true, data: { approved: true, company: "company_abc" } },
    });
    expect(await validate(5000)).toMatchObject({
      status: 403,
      body: { error: { code: "permission_denied" } },
    });
    expect((await getJson(`${url}/health`)).body).toMatchObject({
      service_name: "risk-management",
      status: "healthy",
      dependencies: { database: "healthy", "central-hub": "healthy" },
    });
    const other = resources.client({ hubUrls: [hub.url] });
    await eventually(async () => expect((await other.discover("risk-management")).recommended.url).toBe(url));
  });
});
