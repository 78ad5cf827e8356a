#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { formatHelp, isHelpRequested, loadConfig } from "./config.js";
import { HubError } from "./errors/hub-error.js";
import { listen } from "./listen.js";
import { createLogger } from "./logger.js";
import { memoryReducerOff, startCommand } from "./node-flags.js";
import { createHub } from "./server.js";

/** Reads the config, composes the hub, listens, and stops gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  // `pnpm hub -- --port 7001` passes the "--" through; it separates nothing here.
  const argv = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === "--"));
  if (isHelpRequested(argv)) {
    process.stdout.write(`${formatHelp(startCommand(process.argv[1]!, process.cwd()))}\n`);
    return;
  }
  // Run through a package manager, the user's directory is INIT_CWD (scripts run at the repo root).
  const config = loadConfig(argv, process.env, process.env.INIT_CWD ?? process.cwd());
  const logger = createLogger(config);
  const hub = await createHub({ config, logger });
  const tls = config.tls && {
    cert: readFileSync(config.tls.certFile),
    key: readFileSync(config.tls.keyFile),
  };
  const listener = await listen(hub.handler, {
    host: config.host,
    port: config.port,
    ...(tls ? { tls } : {}),
  });
  logger.info(
    {
      url: listener.url,
      port: listener.port,
      storage: config.storage,
      dataDir: config.storage === "sqlite" ? config.dataDir : undefined,
    },
    "hub listening",
  );
  if (!memoryReducerOff(process.execArgv)) {
    // See API.md, "Running the hub": without it, a quiet spell can leave every request slower.
    logger.warn(
      `node was started without --no-memory-reducer: after a quiet spell the hub can stay 40-70% slower; run it as \`${startCommand(process.argv[1]!, process.cwd())}\` (API.md, Running the hub)`,
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "hub stopping");
    hub.beginShutdown();
    await listener.close();
    await hub.close();
    logger.info("hub stopped");
    logger.flush();
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  const message =
    error instanceof HubError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`hub: ${message}\n`);
  process.exitCode = 1;
});
