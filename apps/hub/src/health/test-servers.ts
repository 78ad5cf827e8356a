/**
 * Helpers for the probe tests: real servers on 127.0.0.1, port 0, closed in teardown.
 * Closing waits for every connection to end, so a connection a probe leaks hangs the
 * teardown hook and fails the test.
 * @internal
 */
import { type AddressInfo, createServer, type Socket } from "node:net";
import { networkInterfaces } from "node:os";

/** Anything with Node's listen/close/address shape (net, http, https, http2 servers). */
interface Listenable {
  listen(port: number, host: string, callback: () => void): unknown;
  close(callback: (error?: Error) => void): unknown;
  address(): AddressInfo | string | null;
  once(event: "error", listener: (error: Error) => void): unknown;
}

/** Starts `server` on `host` (default 127.0.0.1) with an OS-chosen port and returns the port. */
export function listen(server: Listenable, host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("server has no TCP address"));
      else resolve(address.port);
    });
  });
}

/** Stops `server` and resolves once every connection to it has ended. */
export function close(server: Listenable): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** Counts a server's connections; `allClosed` waits for every one of them to close. */
export interface ConnectionTracker {
  /** Connections accepted so far. */
  readonly opened: number;
  allClosed(): Promise<void>;
}

/**
 * Tracks the connections `server` accepts. Awaiting `allClosed()` in teardown turns a leaked
 * connection into a hanging hook, hence a failed test.
 */
export function trackConnections(server: {
  on(event: "connection" | "secureConnection", listener: (socket: Socket) => void): unknown;
}): ConnectionTracker {
  const closing: Promise<void>[] = [];
  let opened = 0;
  server.on("connection", (socket) => {
    opened++;
    closing.push(new Promise((resolve) => socket.once("close", () => resolve())));
  });
  return {
    get opened() {
      return opened;
    },
    async allClosed() {
      await Promise.all(closing);
    },
  };
}

/** Whether this machine has an IPv6 loopback (some CI containers do not). */
export const hasIpv6Loopback = Object.values(networkInterfaces()).some((addresses) =>
  addresses?.some((address) => address.family === "IPv6" && address.address === "::1"),
);

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await close(server);
  return port;
}

/** A self-signed certificate for 127.0.0.1 and localhost, valid 2020-2120, for the https tests. */
export const selfSignedCert = `-----BEGIN CERTIFICATE-----
MIIBZzCCAQ2gAwIBAgIUFDVwszHQ7m4oQ3g9GMQ2PxZmb9owCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPaHViLWhlYWx0aC10ZXN0MCAXDTIwMDEwMTAwMDAwMFoYDzIx
MjAwMTAxMDAwMDAwWjAaMRgwFgYDVQQDDA9odWItaGVhbHRoLXRlc3QwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAATFkfxNY4m6JX/rK/oDF2zjXnlWS2WChMqHS6OF
iFdD2J5fPr/N1ffdh8mGbzvFLbwvT14hZhh38uUW8/9a0hIYoy8wLTAaBgNVHREE
EzARhwR/AAABgglsb2NhbGhvc3QwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
AgNIADBFAiEAk9nliq/c3+UWW8YngyLbsz/yiJ2ANH4yoqgIOpFvprwCICas0Qi+
jFtV5+HizDfjx6WHNOpRkShfgyKSobSc4xal
-----END CERTIFICATE-----
`;

/** The key of {@link selfSignedCert}; a test fixture, protects nothing. */
export const selfSignedKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgxXwdt4KxakbxVIHp
W1MDOLyQV80sPSLCrJK0YPrbgYyhRANCAATFkfxNY4m6JX/rK/oDF2zjXnlWS2WC
hMqHS6OFiFdD2J5fPr/N1ffdh8mGbzvFLbwvT14hZhh38uUW8/9a0hIY
-----END PRIVATE KEY-----
`;

/** A promise with its resolve function outside (Promise.withResolvers needs Node 22). */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
