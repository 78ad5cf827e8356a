// Local HTTP health targets: `ports` servers answering GET /health with the platform's health
// body, counting the probes they get. argv[2]: JSON { ports }. Prints {"type":"ready","ports":[...]};
// then answers {"cmd":"count"} on stdin with {"type":"count","probes":N}. Exits when stdin closes.
import * as http from "node:http";
import { createInterface } from "node:readline";

const { ports: count } = JSON.parse(process.argv[2]);
const body = JSON.stringify({ service_name: "target", status: "healthy" });
let probes = 0;
const handler = (req, res) => {
  probes++;
  req.resume();
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
};
const listen = () =>
  new Promise((resolve) => {
    const server = http.createServer({ keepAliveTimeout: 60_000 }, handler);
    server.listen({ host: "127.0.0.1", port: 0 }, () => resolve(server.address().port));
  });
const ports = await Promise.all(Array.from({ length: count }, listen));
process.stdout.write(`${JSON.stringify({ type: "ready", ports })}\n`);
createInterface({ input: process.stdin })
  .on("line", () => process.stdout.write(`${JSON.stringify({ type: "count", probes })}\n`))
  .on("close", () => process.exit(0));
