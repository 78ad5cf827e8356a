// The floor: a bare node:http server answering fixed bytes, with none of the hub's work.
// argv[2]: JSON { responses: { "<METHOD> <path>[ <content-type>]": { type, body(base64) } },
//                 byMethod: { "<METHOD>": { type, body } } }; the most specific key wins.
// Prints {"type":"ready","port":N}; exits when stdin closes.
import * as http from "node:http";

const config = JSON.parse(process.argv[2]);
const decode = (r) => ({ type: r.type, body: Buffer.from(r.body, "base64") });
const exact = new Map(Object.entries(config.responses ?? {}).map(([key, r]) => [key, decode(r)]));
const byMethod = new Map(Object.entries(config.byMethod ?? {}).map(([key, r]) => [key, decode(r)]));

const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const route = `${req.method} ${req.url}`;
  const answer =
    exact.get(`${route} ${req.headers["content-type"]}`) ?? exact.get(route) ?? byMethod.get(req.method);
  // Read the request body like any real handler would, then answer.
  req.on("data", () => {});
  req.on("end", () => {
    if (!answer) {
      res.writeHead(404, { "content-length": 0 });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": answer.type, "content-length": answer.body.length });
    res.end(answer.body);
  });
});
server.listen({ host: "127.0.0.1", port: 0 }, () => {
  process.stdout.write(`${JSON.stringify({ type: "ready", port: server.address().port })}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
