import { fileURLToPath } from "node:url";

/** The hub binary under test, as `turbo run build` leaves it. */
export const HUB_MAIN = fileURLToPath(new URL("../../apps/hub/dist/main.js", import.meta.url));
