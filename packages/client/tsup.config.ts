import { defineConfig } from "tsup";

export default defineConfig({
  // index: the Node entry; web: the browser entry. Shared code lands in common chunks.
  entry: ["src/index.ts", "src/web.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  // es2022, not node20: the browser entry runs in browsers too.
  target: "es2022",
});
