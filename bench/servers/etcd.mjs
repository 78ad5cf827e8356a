import { ensureDebianPackage } from "../lib/debian.mjs";
import { grpcUnary } from "../lib/grpc-call.mjs";
import { freePort } from "../lib/ports.mjs";
import { SERVER_CPU, spawnPinned, stopProcess } from "../lib/processes.mjs";
import { removeTempDir, tempDir } from "../lib/temp-dir.mjs";
import { ETCD_PUT_PATH, etcdPutRequest } from "../lib/wire.mjs";

export const ETCD_BIN = process.env.ETCD_BIN ?? "/usr/bin/etcd";
export const ETCD_INSTALL = "sudo apt-get install -y etcd-server";

/**
 * Makes sure Debian's etcd is there (installing etcd-server with apt-get when it is missing and
 * we are root). Returns undefined when etcd is available, or why it is not.
 */
export function ensureEtcd() {
  return ensureDebianPackage(ETCD_BIN, "etcd-server") ? undefined : `etcd not installed (${ETCD_INSTALL})`;
}

/**
 * Starts a single-member etcd on loopback with a temporary data dir, pinned to the server core,
 * and puts `entries` (key → value).
 * @param {Record<string, string>} entries
 */
export async function startEtcd(entries) {
  const dataDir = tempDir("etcd");
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const flags = {
    name: "bench",
    "data-dir": dataDir,
    "listen-client-urls": client,
    "advertise-client-urls": client,
    "listen-peer-urls": peer,
    "initial-advertise-peer-urls": peer,
    "initial-cluster": `bench=${peer}`,
    logger: "zap",
    "log-level": "error",
  };
  const args = Object.entries(flags).map(([flag, value]) => `--${flag}=${value}`);
  // etcd refuses to start on arm64 without this opt-in.
  const env = process.arch === "arm64" ? { ...process.env, ETCD_UNSUPPORTED_ARCH: "arm64" } : process.env;
  const child = spawnPinned(SERVER_CPU, ETCD_BIN, args, { stdio: ["ignore", "ignore", "ignore"], env });
  const stop = async () => {
    await stopProcess(child);
    removeTempDir(dataDir);
  };
  try {
    await waitHealthy(client, child);
    for (const [key, value] of Object.entries(entries)) {
      await grpcUnary(client, ETCD_PUT_PATH, etcdPutRequest(key, value));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid, port: clientPort, url: client, stop };
}

async function waitHealthy(url, child) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`etcd exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok && (await res.json()).health === "true") return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("etcd did not become healthy within 30 s");
}
