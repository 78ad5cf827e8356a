import { describe, expect, it } from "vitest";
import { parseStack } from "./parse-stack.js";
import { isAppFrame, normalizeFrame, stackSignature } from "./stack-signature.js";

const deployA = `TypeError: Cannot read properties of undefined (reading 'id')
    at loadUser (/srv/releases/v41/dist/users/load-user.js:42:17)
    at async handler (/srv/releases/v41/dist/routes/user.js:12:5)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;

const deployB = `TypeError: Cannot read properties of undefined (reading 'id')
    at loadUser (/srv/releases/v42/dist/users/load-user.js:57:9)
    at async handler (/srv/releases/v42/dist/routes/user.js:19:11)
    at process.processTicksAndRejections (node:internal/process/task_queues:96:5)`;

describe("parseStack", () => {
  it("reads function and file from V8 frames without line and column", () => {
    expect(parseStack(deployA)).toEqual([
      { fn: "loadUser", file: "/srv/releases/v41/dist/users/load-user.js" },
      { fn: "handler", file: "/srv/releases/v41/dist/routes/user.js" },
      { fn: "process.processTicksAndRejections", file: "node:internal/process/task_queues" },
    ]);
  });

  it.each([
    ["anonymous frame", "    at /app/src/main.js:1:2", { fn: "", file: "/app/src/main.js" }],
    [
      "alias",
      "    at Pool.acquire [as get] (/app/src/pool.js:3:4)",
      { fn: "Pool.acquire", file: "/app/src/pool.js" },
    ],
    [
      "constructor",
      "    at new Client (file:///app/src/client.mjs:9:1)",
      { fn: "new Client", file: "file:///app/src/client.mjs" },
    ],
    [
      "eval",
      "    at eval (eval at run (/app/src/vm.js:1:2), <anonymous>:1:1)",
      { fn: "eval", file: "eval at run (/app/src/vm.js:1:2), <anonymous>" },
    ],
    [
      "Firefox",
      "render@https://cdn.example.com/app.3f2a1b9c.js:1:900",
      { fn: "render", file: "https://cdn.example.com/app.3f2a1b9c.js" },
    ],
  ])("parses a %s", (_case, line, frame) => {
    expect(parseStack(line)).toEqual([frame]);
  });
});

describe("stackSignature", () => {
  it("gives the same bug from two deploys (other paths and line numbers) the same signature", () => {
    const a = stackSignature(parseStack(deployA), 3, "/nowhere");
    const b = stackSignature(parseStack(deployB), 3, "/nowhere");
    expect(a).toEqual(b);
    expect(a).toEqual(["loadUser (dist/users/load-user.js)", "handler (dist/routes/user.js)"]);
  });

  it("tells apart errors thrown from different root frames", () => {
    const other = deployA.replace(
      "at loadUser (/srv/releases/v41/dist/users/load-user.js",
      "at saveUser (/srv/releases/v41/dist/users/save-user.js",
    );
    expect(stackSignature(parseStack(other), 3, "/")).not.toEqual(
      stackSignature(parseStack(deployA), 3, "/"),
    );
  });

  it("makes app paths relative to rootDir", () => {
    expect(normalizeFrame({ fn: "f", file: "/home/ci/app/src/a.js" }, "/home/ci/app")).toBe("f (src/a.js)");
  });

  it("drops the store layout and version of dependencies", () => {
    const pnpm = { fn: "Query.run", file: "/app/node_modules/.pnpm/pg@8.11.3/node_modules/pg/lib/query.js" };
    const npm = { fn: "Query.run", file: "/other/node_modules/pg/lib/query.js" };
    expect(normalizeFrame(pnpm, "/app")).toBe(normalizeFrame(npm, "/other"));
  });

  it("masks bundle hashes and normalizes Windows paths", () => {
    expect(normalizeFrame({ fn: "", file: "C:\\build\\out\\app.3f2a1b9c.js" }, "C:\\build")).toBe(
      "<anonymous> (out/app.<*>.js)",
    );
  });

  it("prefers app frames and falls back to any frames when there are none", () => {
    const deps = parseStack(
      "    at Socket.emit (node:events:517:28)\n    at parse (/app/node_modules/qs/lib/parse.js:1:1)",
    );
    expect(deps.some(isAppFrame)).toBe(false);
    expect(stackSignature(deps, 1, "/app")).toEqual(["Socket.emit (node:events)"]);
  });

  it("uses no frames when count is 0", () => {
    expect(stackSignature(parseStack(deployA), 0, "/")).toEqual([]);
  });
});
