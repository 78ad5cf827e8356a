// The hub as a library, for tests and embedding: compose it, then serve its handler.
export { createHub, type CreateHubOptions, type Hub } from "./server.js";
export { loadConfig, type HubConfig } from "./config.js";
export { listen, type Listener } from "./listen.js";
export { createLogger } from "./logger.js";
