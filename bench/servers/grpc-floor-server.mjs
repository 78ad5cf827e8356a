// The gRPC floor: a bare node:http2 server answering every stream with one fixed gRPC message,
// through the raw stream API (no compat request/response objects): the least any Node server
// can spend on a gRPC unary call over h2c, with none of the hub's work.
// argv[2]: the message as protobuf, base64. Prints {"type":"ready","port":N}; exits when stdin closes.
import * as http2 from "node:http2";
import { grpcFrame } from "../lib/wire.mjs";

const frame = grpcFrame(Buffer.from(process.argv[2], "base64"));

const server = http2.createServer();
server.on("stream", (stream) => {
  // Read the request body like any real handler would, then answer.
  stream.on("data", () => {});
  stream.on("end", () => {
    stream.respond({ ":status": 200, "content-type": "application/grpc+proto" }, { waitForTrailers: true });
    stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.end(frame);
  });
});
server.listen({ host: "127.0.0.1", port: 0 }, () => {
  process.stdout.write(`${JSON.stringify({ type: "ready", port: server.address().port })}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
