import { fileURLToPath } from "node:url";
import { hubNodeFlags } from "@hub/hub/node-flags";

/** The hub binary under test, as `turbo run build` leaves it. */
export const HUB_MAIN = fileURLToPath(new URL("../../apps/hub/dist/main.js", import.meta.url));

/**
 * The node flags the hub is started with, as its `start` and the root `hub` scripts do
 * (apps/hub/API.md, "Running the hub", says why each).
 */
export const HUB_NODE_FLAGS = [...hubNodeFlags];
