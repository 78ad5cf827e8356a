import * as http2 from "node:http2";
import { grpcFrame, grpcHeaders, grpcUnframe } from "./wire.mjs";

/**
 * One unary gRPC call over h2c with a pre-encoded request message; resolves with the response
 * message bytes. For setup steps (etcd puts, fetching the hub's answer), not for load.
 */
export function grpcUnary(url, path, message, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    const chunks = [];
    let grpcStatus;
    let grpcMessage;
    const timer = setTimeout(() => fail(new Error(`${path}: no answer within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      session.destroy();
      reject(error);
    };
    session.on("error", fail);
    const stream = session.request(grpcHeaders(path));
    const statusOf = (h) => {
      if (h["grpc-status"] !== undefined) grpcStatus = String(h["grpc-status"]);
      if (h["grpc-message"] !== undefined) grpcMessage = String(h["grpc-message"]);
    };
    stream.on("response", statusOf);
    stream.on("trailers", statusOf);
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("error", fail);
    stream.on("end", () => {
      clearTimeout(timer);
      session.close();
      if (grpcStatus !== "0")
        return reject(new Error(`${path}: grpc-status ${grpcStatus} ${grpcMessage ?? ""}`));
      resolve(grpcUnframe(Buffer.concat(chunks)));
    });
    stream.end(grpcFrame(message));
  });
}
