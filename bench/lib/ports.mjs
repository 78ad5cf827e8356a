import * as net from "node:net";

/** A TCP port free on 127.0.0.1 right now (for servers that cannot be told to pick one, like etcd). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
