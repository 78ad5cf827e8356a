// A stock connect-node server implementing hub.v1.DiscoveryService.Discover with a fixed answer:
// what plain connect-node costs for the same message, with none of the hub's work.
// argv[2]: the DiscoverResponse as protobuf, base64. Serves Connect/gRPC-web over HTTP/1.1 on one
// port and gRPC/Connect over h2c on another; prints {"type":"ready","port":N,"h2Port":M}.
import * as http from "node:http";
import * as http2 from "node:http2";
import { fromBinary } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { DiscoverResponseSchema, DiscoveryService } from "@hub/proto";

const answer = fromBinary(DiscoverResponseSchema, Buffer.from(process.argv[2], "base64"));
const handler = connectNodeAdapter({
  routes(router) {
    router.service(DiscoveryService, {
      discover: () => answer,
      async *watchServices() {},
    });
  },
});

const listen = (server) =>
  new Promise((resolve) =>
    server.listen({ host: "127.0.0.1", port: 0 }, () => resolve(server.address().port)),
  );
const h1 = http.createServer({ keepAliveTimeout: 60_000 }, handler);
const h2 = http2.createServer({}, handler);
const [port, h2Port] = await Promise.all([listen(h1), listen(h2)]);
process.stdout.write(`${JSON.stringify({ type: "ready", port, h2Port })}\n`);
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
