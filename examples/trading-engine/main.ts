import { runService } from "../shared/index.js";
import { parseOrderRequest } from "./order-request.js";
import { placeOrder } from "./place-order.js";

// trading-engine: takes orders. Pro and enterprise tenants only, so the hub hides it from
// free-tier discovery; it finds data-bridge and risk-management through the hub per order.
await runService({
  name: "trading-engine",
  version: "1.0.0",
  defaultPort: 8007,
  registration: {
    tags: ["orders"],
    tenant_capable: true,
    subscription_requirements: ["pro", "enterprise"],
    resource_tier: "premium",
  },
  routes: ({ hub }) => [
    {
      method: "POST",
      path: "/orders",
      handler: (request) => {
        const order = parseOrderRequest(request.body);
        if (typeof order === "string") {
          return { status: 400, body: { error: { code: "invalid_argument", message: order } } };
        }
        return placeOrder(hub, order, request.tenant);
      },
    },
  ],
});
