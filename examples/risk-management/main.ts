import { runService } from "../shared/index.js";
import { checkRisk, parsePricedOrder } from "./risk-check.js";

// risk-management: approves or rejects priced orders. Several instances may run; the hub
// tells callers which are healthy and callers pick from those.
await runService({
  name: "risk-management",
  version: "1.0.0",
  defaultPort: 8002,
  registration: { tags: ["risk"], resource_tier: "basic" },
  routes: ({ serviceName }) => [
    {
      method: "POST",
      path: "/risk/validate",
      handler: (request) => {
        const order = parsePricedOrder(request.body);
        if (typeof order === "string") {
          return { status: 400, body: { error: { code: "invalid_argument", message: order } } };
        }
        const verdict = checkRisk(order, request.tenant["x-subscription-tier"]);
        return { status: 200, body: { ...verdict, checked_by: serviceName, tenant: request.tenant } };
      },
    },
  ],
});
