// Proves that `npm install @hub/*` works for a user outside this workspace: every publishable package
// is packed with `pnpm pack` (which rewrites workspace:* to real versions), installed with npm into a
// temporary project under the OS temp dir, and a plain .mjs service built on the installed
// @hub/base-service runs against a real hub. It needs every package built (turbo: examples#test
// depends on their builds) and the npm registry for third-party dependencies.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson } from "./helpers/hub-api.js";
import { type HubProcess, startHub } from "./helpers/hub-process.js";
import type { ManagedProcess } from "./helpers/managed-process.js";
import { createProcessGroup } from "./helpers/process-group.js";
import { createTempDir, type TempDir } from "./helpers/temp-dir.js";
import { waitFor } from "./helpers/wait-for.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Every publishable package, by directory under packages/. */
const PACKAGES = [
  "proto",
  "transport-fallback",
  "client",
  "perf-tracker",
  "error-dna",
  "base-service",
] as const;

const SERVICE_NAME = "packed-service";

/** What a user writes: ESM imports, plus one CommonJS require() to prove the `require` condition. */
const SERVICE_SOURCE = `import { createRequire } from "node:module";
import { BaseService, outgoingHeaders } from "@hub/base-service";

const require = createRequire(import.meta.url);
const cjs = require("@hub/base-service");
console.log(JSON.stringify({
  msg: "module formats",
  esm: import.meta.resolve("@hub/base-service"),
  cjs: require.resolve("@hub/base-service"),
  separateCopies: cjs.BaseService !== BaseService,
  cjsWorks: typeof cjs.BaseService === "function" && cjs.constantTimeEqual("token", "token"),
}));

const service = new BaseService({
  service_name: "${SERVICE_NAME}",
  version: "1.0.0",
  hub_url: process.env.HUB_URL,
  health_check: { interval_ms: 500, timeout_ms: 400, rise: 1, fall: 1 },
});
service.get("/hello", (ctx) => ({ hello: ctx.tenant.companyId ?? "anonymous", forwarded: outgoingHeaders() }));
await service.start();
`;

/** Another program that only knows the installed @hub/client: waits until discovery recommends the service. */
const DISCOVER_SOURCE = `import { createHubClient } from "@hub/client";

const [hubUrl, name, expectedUrl] = process.argv.slice(2);
const client = createHubClient({ hubUrls: [hubUrl] });
const deadline = Date.now() + 30_000;
try {
  for (;;) {
    let why;
    try {
      const found = await client.discover(name);
      if (found.healthyAvailable && found.recommended.url === expectedUrl) {
        console.log(JSON.stringify({ msg: "discovered", url: found.recommended.url, status: found.recommended.status }));
        break;
      }
      why = found.message || found.recommended.status;
    } catch (error) {
      why = String(error);
    }
    if (Date.now() > deadline) throw new Error("no healthy " + name + " at " + expectedUrl + ": " + why);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
} finally {
  await client.close();
}
`;

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its output when it fails or outlives `timeoutMs`. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else
        reject(
          new Error(
            `${command} ${args.join(" ")} in ${cwd} ended with ${code ?? signal}\n${stdout}\n${stderr}`,
          ),
        );
    });
  });
}

/**
 * The environment of a user's shell: without the npm_* variables that pnpm and turbo set for the
 * scripts they run, which would otherwise configure the npm that installs the tarballs.
 */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
}

describe("npm install of the packed @hub/* packages", () => {
  const group = createProcessGroup();
  let temp: TempDir | undefined;
  let project: string;
  let tarballs: string[];
  let hub: HubProcess;
  let service: ManagedProcess;
  let serviceUrl: string;

  beforeAll(async () => {
    temp = await createTempDir("hub-pack-install");
    const packs = join(temp.path, "packs");
    project = join(temp.path, "project");
    await mkdir(packs);
    await mkdir(project);
    await Promise.all(
      PACKAGES.map((name) =>
        run(
          "npx",
          ["-y", "pnpm@9", "pack", "--pack-destination", packs],
          join(REPO_ROOT, "packages", name),
          process.env,
          120_000,
        ),
      ),
    );
    tarballs = (await readdir(packs)).filter((file) => file.endsWith(".tgz")).sort();
    await writeFile(
      join(project, "package.json"),
      JSON.stringify(
        { name: "pack-install-check", version: "0.0.0", private: true, type: "module" },
        null,
        2,
      ),
    );
    await run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        ...tarballs.map((file) => join(packs, file)),
      ],
      project,
      userEnv(),
      180_000,
    );
    await writeFile(join(project, "service.mjs"), SERVICE_SOURCE);
    await writeFile(join(project, "discover.mjs"), DISCOVER_SOURCE);
    hub = await startHub(group, { dataDir: temp.path, storage: "memory" });
  }, 300_000);

  afterAll(async () => {
    await group.stopAll();
    await temp?.remove();
  });

  it("installs every package from its tarball, with workspace:* rewritten to versions", async () => {
    expect(tarballs).toHaveLength(PACKAGES.length);
    for (const name of PACKAGES) {
      expect(tarballs.some((file) => new RegExp(`^hub-${name}-\\d+\\.\\d+\\.\\d+\\.tgz$`).test(file))).toBe(
        true,
      );
    }
    for (const name of PACKAGES) {
      const installed = join(project, "node_modules", "@hub", name);
      const manifest = await readJson(join(installed, "package.json"));
      expect(manifest.name).toBe(`@hub/${name}`);
      expect(JSON.stringify(manifest)).not.toContain("workspace:");
      expect(existsSync(join(installed, "dist"))).toBe(true);
      // `files` keeps sources and tests out of the tarball.
      expect(existsSync(join(installed, "src"))).toBe(false);
    }
    const client = await readJson(join(project, "node_modules", "@hub", "client", "package.json"));
    expect(client.dependencies).toMatchObject({ "@hub/proto": expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it("runs a plain .mjs service that loads @hub/base-service through import and require", async () => {
    service = group.spawn({
      name: SERVICE_NAME,
      command: process.execPath,
      args: ["service.mjs"],
      cwd: project,
      env: { ...userEnv(), HUB_URL: hub.url },
    });
    const formats = await service.waitForLine((json) => json.msg === "module formats");
    expect(formats).toMatchObject({ separateCopies: true, cjsWorks: true });
    expect(String(formats.esm)).toMatch(/node_modules\/@hub\/base-service\/dist\/index\.js$/);
    expect(String(formats.cjs)).toMatch(/node_modules\/@hub\/base-service\/dist\/index\.cjs$/);
    const listening = await service.waitForLine((json) => json.msg === "listening");
    serviceUrl = String(listening.url);
    await service.waitForLine((json) => json.msg === "started");
  });

  it("becomes healthy in the hub and is discovered by a client built on the installed @hub/client", async () => {
    await waitFor("the hub to find the service healthy", async () => {
      const answer = await getJson<{ instances: Array<{ status: string; endpoint: string }> }>(
        `${hub.url}/services/${SERVICE_NAME}?legacy_mode=true`,
      );
      const instance = answer.body?.instances?.[0];
      return instance?.status === "healthy" ? instance : undefined;
    });
    const { stdout } = await run(
      process.execPath,
      ["discover.mjs", hub.url, SERVICE_NAME, serviceUrl],
      project,
      userEnv(),
      45_000,
    );
    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}")).toEqual({
      msg: "discovered",
      url: serviceUrl,
      status: "healthy",
    });
  });

  it("serves the standard /health format and answers in the envelope with the tenant", async () => {
    const health = await getJson<Record<string, unknown>>(`${serviceUrl}/health`);
    expect(health.status).toBe(200);
    expect(Object.keys(health.body)).toEqual([
      "service_name",
      "status",
      "timestamp",
      "version",
      "uptime_seconds",
      "performance_metrics",
      "system_resources",
      "dependencies",
      "tenant_context",
    ]);
    expect(health.body).toMatchObject({
      service_name: SERVICE_NAME,
      status: "healthy",
      version: "1.0.0",
      dependencies: { "central-hub": "healthy" },
      tenant_context: { tenant_isolation_status: "healthy" },
    });
    const hello = await getJson<Record<string, unknown>>(`${serviceUrl}/hello`, {
      "x-company-id": "company_abc",
      "x-correlation-id": "req_456",
    });
    expect(hello.body).toMatchObject({
      success: true,
      data: {
        hello: "company_abc",
        forwarded: { "x-company-id": "company_abc", "x-correlation-id": "req_456" },
      },
      correlation_id: "req_456",
    });
  });

  it("deregisters on SIGTERM and exits with code 0", async () => {
    const exit = await service.stop(15_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(service.lines.some((line) => line.json?.msg === "deregistered from the hub")).toBe(true);
    expect((await getJson(`${hub.url}/services/${SERVICE_NAME}?legacy_mode=true`)).status).toBe(404);
  });
});
