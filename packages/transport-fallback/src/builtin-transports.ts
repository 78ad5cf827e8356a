import * as http from "node:http";
import * as https from "node:https";
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { BuiltinTransportName } from "./options.js";

/** The built-in transports for one base URL, and the connections they hold. @internal */
export interface BuiltinTransports {
  /** The transport with this name; built on first use, so unused protocols open no connections. */
  get(name: BuiltinTransportName): Transport;
  /** Closes the keep-alive sockets and the HTTP/2 session, so the process can exit. */
  close(): void;
}

/**
 * Builds the built-in transports for `baseUrl`. They own their connection pools (one keep-alive
 * agent for both HTTP/1.1 transports, one HTTP/2 session for gRPC) rather than Node's global agent,
 * so `close()` can end exactly the connections this manager opened.
 * @internal
 */
export function createBuiltinTransports(
  baseUrl: string,
  interceptors: readonly Interceptor[],
): BuiltinTransports {
  const secure = new URL(baseUrl).protocol === "https:";
  let agent: http.Agent | undefined;
  let sessionManager: Http2SessionManager | undefined;
  const built = new Map<BuiltinTransportName, Transport>();

  const http1Agent = (): http.Agent => {
    agent ??= secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    return agent;
  };

  const build = (name: BuiltinTransportName): Transport => {
    switch (name) {
      case "http_protobuf":
      case "http_json":
        return createConnectTransport({
          baseUrl,
          httpVersion: "1.1",
          useBinaryFormat: name === "http_protobuf",
          interceptors: [...interceptors],
          nodeOptions: { agent: http1Agent() },
        });
      case "http2_streaming":
        sessionManager ??= new Http2SessionManager(baseUrl);
        return createGrpcTransport({ baseUrl, interceptors: [...interceptors], sessionManager });
    }
  };

  return {
    get(name) {
      let transport = built.get(name);
      if (transport === undefined) {
        transport = build(name);
        built.set(name, transport);
      }
      return transport;
    },
    close() {
      agent?.destroy();
      sessionManager?.abort();
    },
  };
}
