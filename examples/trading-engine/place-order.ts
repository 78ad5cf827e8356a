import { randomUUID } from "node:crypto";
import {
  type HubClient,
  isJsonObject,
  numberField,
  type ServiceResponse,
  type TenantContext,
} from "../shared/index.js";
import { type CallRecord, callDirect, DownstreamError } from "./direct-call.js";
import type { OrderRequest } from "./order-request.js";

function errorResponse(status: number, code: string, message: string, calls: CallRecord[]): ServiceResponse {
  return { status, body: { error: { code, message }, calls } };
}

/**
 * Prices the order with data-bridge, has risk-management validate it, and accepts it when
 * approved. Both services are found through the hub and called directly; the answer lists
 * those calls (`calls`) so a caller can check where each request went.
 */
export async function placeOrder(
  hub: HubClient,
  order: OrderRequest,
  tenant: TenantContext,
): Promise<ServiceResponse> {
  const calls: CallRecord[] = [];
  try {
    const tick = await callDirect(hub, tenant, {
      service: "data-bridge",
      method: "GET",
      path: `/ticks/${encodeURIComponent(order.symbol)}`,
    });
    calls.push(tick.record);
    const price = isJsonObject(tick.body)
      ? numberField(tick.body, order.side === "buy" ? "ask" : "bid")
      : undefined;
    if (price === undefined)
      return errorResponse(502, "bad_gateway", "data-bridge: quote lacks a price", calls);

    const risk = await callDirect(hub, tenant, {
      service: "risk-management",
      method: "POST",
      path: "/risk/validate",
      body: { ...order, price },
    });
    calls.push(risk.record);
    if (!isJsonObject(risk.body) || typeof risk.body.approved !== "boolean") {
      return errorResponse(502, "bad_gateway", "risk-management: verdict lacks approved", calls);
    }

    const accepted = risk.body.approved;
    return {
      status: accepted ? 201 : 422,
      body: {
        order_id: accepted ? randomUUID() : null,
        status: accepted ? "accepted" : "rejected",
        ...order,
        price,
        risk: risk.body,
        calls,
        tenant,
      },
    };
  } catch (error) {
    if (error instanceof DownstreamError) {
      return errorResponse(
        error.status,
        error.status === 503 ? "unavailable" : "bad_gateway",
        error.message,
        calls,
      );
    }
    throw error;
  }
}
