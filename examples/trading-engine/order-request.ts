import { isJsonObject, numberField, stringField } from "../shared/index.js";

/** A market order as clients send it to `POST /orders`; the price comes from data-bridge. */
export interface OrderRequest {
  symbol: string;
  side: "buy" | "sell";
  quantity: number;
}

/** Validates the request body, returning the order or a message naming the bad field. */
export function parseOrderRequest(body: unknown): OrderRequest | string {
  if (!isJsonObject(body)) return "body: must be a JSON object";
  const symbol = stringField(body, "symbol");
  const side = stringField(body, "side");
  const quantity = numberField(body, "quantity");
  if (symbol === undefined || !/^[A-Za-z0-9][A-Za-z0-9.:-]{0,19}$/.test(symbol))
    return "symbol: not a ticker";
  if (side !== "buy" && side !== "sell") return "side: must be buy or sell";
  if (quantity === undefined || quantity <= 0) return "quantity: must be a positive number";
  return { symbol: symbol.toUpperCase(), side, quantity };
}
