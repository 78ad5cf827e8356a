import { defineConfig } from "tsup";

export default defineConfig({
  // node-flags: the flags the hub runs with, for tools that start the binary (bench, examples)
  // without loading the whole hub.
  entry: ["src/main.ts", "src/index.ts", "src/node-flags.ts"],
  format: ["esm"],
  // Types for the library entries, so packages can start a real hub in their integration tests.
  dts: { entry: ["src/index.ts", "src/node-flags.ts"] },
  clean: true,
  sourcemap: true,
  target: "node20",
  // The pure-JS libraries are bundled in: resolving and loading their ~250 files one by one took
  // half of the hub's start (about 200 ms of 400 on one core), before it could read its store.
  // better-sqlite3 (native) and pino (loads its transports by file path) stay packages. Bundling
  // the @hub packages too keeps one copy of Connect and protobuf-es in the process.
  noExternal: [/^@hub\//, /^@connectrpc\//, /^@bufbuild\//, /^zod(\/|$)/],
});
