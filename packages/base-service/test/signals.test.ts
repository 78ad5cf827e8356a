import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { eventually, getJson, useResources } from "./support/resources.js";

const fixture = fileURLToPath(new URL("./fixtures/signal-service.ts", import.meta.url));
const packageDir = fileURLToPath(new URL("..", import.meta.url));

interface ServiceProcess {
  readonly child: ChildProcess;
  readonly lines: Array<Record<string, unknown>>;
  readonly exited: Promise<number | null>;
  waitFor(msg: string): Promise<Record<string, unknown>>;
}

function startServiceProcess(hubUrl: string): ServiceProcess {
  // One node process with tsx as a loader, so the signal reaches the service itself.
  const child = spawn(process.execPath, ["--import", "tsx", fixture], {
    cwd: packageDir,
    env: { ...process.env, HUB_URL: hubUrl, SLOW_MS: "1000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      lines.push({ text: line });
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const waitFor = async (msg: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = lines.find((line) => line.msg === msg);
      if (found !== undefined) return found;
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `no "${msg}" line; exit ${child.exitCode}; stderr: ${stderr}; stdout: ${JSON.stringify(lines)}`,
        );
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  return { child, lines, exited, waitFor };
}

describe("BaseService signal handling (a real process and a real hub)", () => {
  const resources = useResources();

  it.each(["SIGTERM", "SIGINT"] as const)(
    "on %s deregisters, finishes the in-flight request and exits 0",
    async (signal) => {
      const hub = await resources.hub();
      const service = startServiceProcess(hub.url);
      try {
        const listening = await service.waitFor("listening");
        const url = String(listening.url);
        await service.waitFor("started");
        await eventually(async () => {
          const answer = await getJson<{ all_healthy_endpoints: string[] }>(
            `${hub.url}/services/discover/signal-service`,
          );
          expect(answer.body.all_healthy_endpoints).toEqual([url]);
        }, 10_000);

        const slow = getJson<{ data: { done: boolean } }>(`${url}/slow`, { method: "POST" });
        await service.waitFor("slow request started");
        service.child.kill(signal);

        expect((await slow).body.data).toEqual({ done: true });
        expect(await service.exited).toBe(0);
        const messages = service.lines.map((line) => line.msg);
        expect(messages).toContain("signal received; shutting down");
        // Deregistered before the in-flight request finished: callers were sent elsewhere first.
        expect(messages.indexOf("deregistered from the hub")).toBeLessThan(
          service.lines.findIndex((line) => line.msg === "request completed" && line.path === "/slow"),
        );
        expect(messages.at(-1), JSON.stringify(service.lines.slice(-6))).toBe("stopped");
        expect((await getJson(`${hub.url}/services/signal-service?legacy_mode=true`)).status).toBe(404);
      } finally {
        if (service.child.exitCode === null) service.child.kill("SIGKILL");
        await service.exited;
      }
    },
  );
});
