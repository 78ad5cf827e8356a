import { isJsonObject, numberField, stringField } from "../shared/index.js";

/** An order priced by the caller, as sent to `POST /risk/validate`. */
export interface PricedOrder {
  symbol: string;
  side: "buy" | "sell";
  quantity: number;
  price: number;
}

/** The verdict, in the shape SEED.md's trading-engine example reads (`approved`). */
export interface RiskVerdict {
  approved: boolean;
  reasons: string[];
  notional: number;
  max_notional: number;
  subscription_tier: string;
}

// Per-order notional ceilings by subscription tier; an unknown or absent tier gets the lowest.
const MAX_NOTIONAL: Record<string, number> = { free: 10_000, pro: 100_000, enterprise: 1_000_000 };

/** Validates the request body, returning the order or a message naming the bad field. */
export function parsePricedOrder(body: unknown): PricedOrder | string {
  if (!isJsonObject(body)) return "body: must be a JSON object";
  const symbol = stringField(body, "symbol");
  const side = stringField(body, "side");
  const quantity = numberField(body, "quantity");
  const price = numberField(body, "price");
  if (symbol === undefined || symbol === "") return "symbol: required";
  if (side !== "buy" && side !== "sell") return "side: must be buy or sell";
  if (quantity === undefined) return "quantity: must be a number";
  if (price === undefined || price <= 0) return "price: must be a positive number";
  return { symbol, side, quantity, price };
}

/** Approves an order when its quantity is positive and its notional fits the tier's ceiling. */
export function checkRisk(order: PricedOrder, tier: string | undefined): RiskVerdict {
  const effectiveTier = tier !== undefined && tier in MAX_NOTIONAL ? tier : "free";
  const maxNotional = MAX_NOTIONAL[effectiveTier] ?? 0;
  const notional = Math.round(order.quantity * order.price * 100) / 100;
  const reasons: string[] = [];
  if (order.quantity <= 0) reasons.push("quantity must be positive");
  if (notional > maxNotional)
    reasons.push(`notional ${notional} exceeds the ${effectiveTier} limit of ${maxNotional}`);
  return {
    approved: reasons.length === 0,
    reasons,
    notional,
    max_notional: maxNotional,
    subscription_tier: effectiveTier,
  };
}
