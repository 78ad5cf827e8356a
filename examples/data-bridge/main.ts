import { runService } from "../shared/index.js";
import { normalizeSymbol, quoteFor } from "./quote.js";

// data-bridge: serves market ticks. Other services find it through the hub and call it directly.
await runService({
  name: "data-bridge",
  version: "1.0.0",
  defaultPort: 8001,
  registration: { tags: ["market-data"], resource_tier: "basic" },
  routes: ({ serviceName }) => [
    {
      method: "GET",
      path: "/ticks/:symbol",
      handler: (request) => {
        const symbol = normalizeSymbol(request.params.symbol ?? "");
        if (symbol === undefined) {
          return {
            status: 400,
            body: { error: { code: "invalid_argument", message: "symbol: not a ticker" } },
          };
        }
        return {
          status: 200,
          body: { ...quoteFor(symbol, Date.now()), source: serviceName, tenant: request.tenant },
        };
      },
    },
  ],
});
