import * as http2 from "node:http2";

/**
 * gRPC (or any HTTP/2 unary POST) over h2c: `sessions` connections share the streams, like a
 * gRPC channel. Each call sends one pre-framed request body.
 */
export class H2Channel {
  /**
   * @param {{ host: string, port: number }} target
   * @param {number} sessions
   */
  constructor(target, sessions) {
    this.sessions = [];
    this.next = 0;
    for (let i = 0; i < sessions; i++) {
      const session = http2.connect(`http://${target.host}:${target.port}`, {
        settings: { enablePush: false },
      });
      session.on("error", () => {});
      this.sessions.push(session);
    }
  }

  /**
   * @param {http2.OutgoingHttpHeaders} headers
   * @param {Buffer} body
   * @param {(ok: boolean, why?: string) => void} done called once
   */
  call(headers, body, done) {
    const session = this.sessions[this.next++ % this.sessions.length];
    let status = 0;
    let grpcStatus;
    let finished = false;
    const finish = (ok, why) => {
      if (finished) return;
      finished = true;
      done(ok, why);
    };
    let stream;
    try {
      stream = session.request(headers);
    } catch (error) {
      return finish(false, String(error));
    }
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      if (h["grpc-status"] !== undefined) grpcStatus = String(h["grpc-status"]);
    });
    stream.on("trailers", (t) => {
      if (t["grpc-status"] !== undefined) grpcStatus = String(t["grpc-status"]);
    });
    stream.on("data", () => {});
    stream.on("error", (error) => finish(false, String(error)));
    stream.on("end", () => {
      const ok = status === 200 && (grpcStatus === undefined || grpcStatus === "0");
      finish(ok, ok ? undefined : `status ${status} grpc-status ${grpcStatus}`);
    });
    stream.end(body);
  }

  close() {
    for (const session of this.sessions) session.destroy();
  }
}
