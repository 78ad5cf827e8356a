import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/main.ts", "src/index.ts"],
  format: ["esm"],
  // Types for the library entry, so packages can start a real hub in their integration tests.
  dts: { entry: "src/index.ts" },
  clean: true,
  sourcemap: true,
  target: "node20",
  // The pure-JS libraries are bundled in: resolving and loading their ~250 files one by one took
  // half of the hub's start (about 200 ms of 400 on one core), before it could read its store.
  // better-sqlite3 (native) and pino (loads its transports by file path) stay packages. Bundling
  // the @hub packages too keeps one copy of Connect and protobuf-es in the process.
  noExternal: [/^@hub\//, /^@connectrpc\//, /^@bufbuild\//, /^zod(\/|$)/],
});
