import {
  type CreateHubOptions,
  createHub,
  createLogger,
  type Hub,
  type Listener,
  listen,
  loadConfig,
} from "../../src/index.js";

/** A hub serving on 127.0.0.1 with an OS-chosen port. */
export interface RunningHub {
  readonly hub: Hub;
  readonly listener: Listener;
  /** Base URL for every client, e.g. "http://127.0.0.1:54321". */
  readonly url: string;
  /**
   * Closes the listener, then the hub. Rejects when connections were still open after the
   * grace period (a client or stream the test forgot to close), so a leak fails the test.
   */
  close(): Promise<void>;
}

/** How long `close()` lets requests and streams finish before calling the rest a leak. */
const closeGraceMs = 3_000;

export interface StartHubOptions extends Pick<CreateHubOptions, "fastPath" | "clock" | "store"> {
  /**
   * Makes the hub see every caller at this address instead of 127.0.0.1, to test what a remote
   * (non-loopback) peer may do while the test still listens on loopback only. HTTP/1.1 only.
   */
  readonly peerAddress?: string;
}

/**
 * Starts a real hub in-process: `flags` are hub command-line flags (see config.ts), applied over
 * `--port 0 --storage memory`, so a test may still ask for `--storage sqlite --data-dir <dir>`.
 */
export async function startHub(
  flags: readonly string[] = [],
  options: StartHubOptions = {},
): Promise<RunningHub> {
  const { peerAddress, ...hubOptions } = options;
  const config = loadConfig(["--port", "0", "--storage", "memory", ...flags], {});
  const hub = await createHub({
    ...hubOptions,
    config,
    logger: createLogger({ logLevel: "silent", serviceName: "central-hub" }),
  });
  const handler: Hub["handler"] =
    peerAddress === undefined
      ? hub.handler
      : (req, res) => {
          Object.defineProperty(req.socket, "remoteAddress", { value: peerAddress, configurable: true });
          hub.handler(req, res);
        };
  let listener: Listener;
  try {
    listener = await listen(handler, { host: "127.0.0.1", port: 0, timeouts: { closeGraceMs } });
  } catch (error) {
    await hub.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  const close = async () => {
    const started = performance.now();
    try {
      await listener.close();
    } finally {
      await hub.close();
    }
    // listen() destroys what is left only once the grace period is over.
    if (performance.now() - started >= closeGraceMs) {
      throw new Error(
        `hub connections were still open ${closeGraceMs} ms after close(): a client or stream leaked`,
      );
    }
  };
  return {
    hub,
    listener,
    url: listener.url,
    close: () => {
      closed ??= close();
      return closed;
    },
  };
}
