import * as http2 from "node:http2";
import { grpcFrame, grpcHeaders } from "../lib/wire.mjs";

/**
 * Watchers as raw server-streaming gRPC calls over h2c, one connection each: a change is seen
 * when a watcher's stream carries the new instance's id.
 * @param {{ host: string, h2Port: number, watchPath: string, watchRequest: string, watchers: number }} spec
 * @returns {Promise<import("./watch-client.mjs").Watchers>}
 */
export async function startStreamWatchers(spec) {
  const sessions = [];
  let expected; // { marker: Buffer, seen(w) }
  const ready = [];
  for (let w = 0; w < spec.watchers; w++) {
    const session = http2.connect(`http://${spec.host}:${spec.h2Port}`);
    session.on("error", () => {});
    sessions.push(session);
    const stream = session.request(grpcHeaders(spec.watchPath), { endStream: false });
    stream.end(grpcFrame(Buffer.from(spec.watchRequest, "base64")));
    ready.push(
      new Promise((resolve, reject) => {
        stream.once("data", resolve); // the snapshot (or the floor's empty frame)
        stream.once("error", reject);
      }),
    );
    // An id may straddle two chunks: search the tail of the previous one too.
    let tail = Buffer.alloc(0);
    stream.on("data", (chunk) => {
      const hay = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
      if (expected && hay.indexOf(expected.marker) >= 0) expected.seen(w);
      tail = hay.subarray(Math.max(0, hay.length - 32));
    });
  }
  await Promise.all(ready);
  return {
    expect(change, seen) {
      expected = { marker: Buffer.from(change.id), seen };
    },
    close() {
      expected = undefined;
      for (const session of sessions) session.destroy();
    },
  };
}
