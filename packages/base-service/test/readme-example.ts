import { BaseService, ServiceError } from "../src/index.js";

/** The README's smallest example; readme.test.ts checks that the README shows exactly these lines. */
export async function readmeExample(): Promise<BaseService> {
  // readme:start
  const service = new BaseService({
    service_name: "risk-management",
    version: "1.0.0",
    port: Number(process.env.PORT ?? 8002),
    hub_url: process.env.HUB_URL ?? "http://127.0.0.1:7000",
  });

  service.post("/risk/validate", async (ctx) => {
    const order = (await ctx.json()) as { quantity: number }; // 400 when the body is not JSON
    if (order.quantity > 1000)
      throw new ServiceError("PERMISSION_DENIED", "quantity is over the limit of 1000");
    return { approved: true, company: ctx.tenant.companyId }; // sent in the standard envelope
  });
  // A dependency check: any async function; throwing (or timing out) marks the dependency unhealthy.
  const database = { ping: async (_signal: AbortSignal) => {} }; // your client here
  service.addDependency("database", (signal) => database.ping(signal), { critical: true });

  await service.start(); // listens, registers with the hub, heartbeats; stops gracefully on SIGTERM
  // readme:end
  return service;
}
