import { fileURLToPath } from "node:url";

/** The examples package root (where `node --import tsx` resolves tsx from). */
export const EXAMPLES_DIR = fileURLToPath(new URL("../../", import.meta.url));

/** The built hub; `HUB_BIN` overrides it. */
export const HUB_BIN =
  process.env.HUB_BIN ?? fileURLToPath(new URL("../../../apps/hub/dist/main.js", import.meta.url));

/** Debian's Python, which has python3-httpx and python3-grpcio; `HUB_PYTHON` overrides it. */
export const PYTHON = process.env.HUB_PYTHON ?? "/usr/bin/python3";
