// The watch floor: what "register, then tell every watcher" costs with no registry and no store.
// An h2c server keeps every POSTed stream open (gRPC server streaming); an HTTP/1.1 server takes
// registrations and writes each body, gRPC-framed, to every open stream before answering 201.
// Prints {"type":"ready","port":<h1>,"h2Port":<h2c>}; exits when stdin closes.
import * as http from "node:http";
import * as http2 from "node:http2";

const streams = new Set();
const h2 = http2.createServer({}, (req, res) => {
  res.writeHead(200, { "content-type": "application/grpc+proto" });
  res.write(frame(Buffer.alloc(0)));
  streams.add(res);
  res.once("close", () => streams.delete(res));
  req.resume();
});

const h1 = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const message = frame(Buffer.concat(chunks));
    for (const stream of streams) stream.write(message);
    res.writeHead(201, { "content-type": "application/json", "content-length": 2 });
    res.end("{}");
  });
});

function frame(message) {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt32BE(message.length, 1);
  message.copy(out, 5);
  return out;
}

const listen = (server) =>
  new Promise((resolve) =>
    server.listen({ host: "127.0.0.1", port: 0 }, () => resolve(server.address().port)),
  );
const [port, h2Port] = await Promise.all([listen(h1), listen(h2)]);
process.stdout.write(`${JSON.stringify({ type: "ready", port, h2Port })}\n`);
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
