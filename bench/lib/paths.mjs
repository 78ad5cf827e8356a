import { fileURLToPath } from "node:url";

/** The hub binary under test, as `turbo run build` leaves it. */
export const HUB_MAIN = fileURLToPath(new URL("../../apps/hub/dist/main.js", import.meta.url));

/**
 * The node flags the hub is started with (apps/hub's `start` script and the root `hub` script).
 * --no-memory-reducer: V8's memory reducer, run when a process goes quiet, left the hub 40-70%
 * slower per request for good once it had served several kinds of client (see apps/hub/API.md).
 * --max-semi-space-size=4: with the reducer off, nothing shrinks the young generation after a
 * burst of registrations; this caps it at a few MB instead of about 30.
 */
export const HUB_NODE_FLAGS = ["--no-memory-reducer", "--max-semi-space-size=4"];
