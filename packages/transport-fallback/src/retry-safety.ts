import type { DescMethod } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { type ContextValues, createContextKey } from "@connectrpc/connect";
import type { ErrorClassification } from "./classify-error.js";

/**
 * Per-call override of a method's idempotency, read from the call's `contextValues`:
 * `true` lets the call fall back after any transport failure, `false` only when the request was
 * provably not sent, and `undefined` (the default) uses the proto's `idempotency_level`.
 *
 * @example
 * const contextValues = createContextValues().set(idempotentCall, true);
 * await client.discover(request, { contextValues });
 */
export const idempotentCall = createContextKey<boolean | undefined>(undefined, {
  description: "@hub/transport-fallback: the call is idempotent",
});

/**
 * Whether a call may be sent again after the request may have been delivered: the per-call
 * {@link idempotentCall} value if set, otherwise `true` only for methods whose proto declares
 * `idempotency_level = NO_SIDE_EFFECTS` or `IDEMPOTENT`.
 */
export function isIdempotent(
  method: Pick<DescMethod, "idempotency">,
  contextValues?: ContextValues,
): boolean {
  const override = contextValues?.get(idempotentCall);
  if (override !== undefined) return override;
  return (
    method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS ||
    method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT
  );
}

/**
 * Whether a failed attempt may be followed by an attempt on another transport: only after a
 * transport failure, and for a non-idempotent call only when the request was provably not sent.
 */
export function mayFallBack(classification: ErrorClassification, idempotent: boolean): boolean {
  if (classification.kind !== "transport") return false;
  return idempotent || classification.delivery === "not_sent";
}
