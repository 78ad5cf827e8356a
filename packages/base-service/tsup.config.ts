import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  // Node only: the package serves HTTP with node:http and watches files with node:fs.
  target: "node20",
});
