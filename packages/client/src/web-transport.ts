import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import type { HubTransportFactory } from "./hub-pool.js";
import type { ResolvedWebTransportOptions } from "./options.js";

/**
 * Browsers: the Connect protocol or gRPC-web over fetch. Nothing here, nor in anything it imports,
 * may touch a Node built-in: the browser bundle test checks the built file.
 * @internal
 */
export function webTransportFactory(options: ResolvedWebTransportOptions): HubTransportFactory {
  return (baseUrl) => {
    const common = {
      baseUrl,
      useBinaryFormat: options.useBinaryFormat,
      interceptors: [...options.interceptors],
      ...(options.fetch === null ? {} : { fetch: options.fetch }),
    };
    const transport =
      options.protocol === "grpc-web" ? createGrpcWebTransport(common) : createConnectTransport(common);
    // fetch keeps no connections of its own to release.
    return { transport, close: () => {} };
  };
}
