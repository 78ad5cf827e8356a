import { invalidArgument } from "../errors/hub-error.js";
import type { Compare, LeaseId, TxnOp, TxnRequest } from "./store.js";

// The Store's callers are the hub's own modules and TypeScript checks their shapes; these guards
// catch the values types cannot rule out (empty keys, negative or fractional numbers).

/** @throws HubError INVALID_ARGUMENT unless `key` is a non-empty string. @internal */
export function assertKey(key: string, field = "key"): void {
  if (typeof key !== "string" || key.length === 0) throw invalidArgument(field, "must be a non-empty string");
}

/** @throws HubError INVALID_ARGUMENT unless `value` is a string. @internal */
export function assertValue(value: string): void {
  if (typeof value !== "string") throw invalidArgument("value", "must be a string");
}

/** @throws HubError INVALID_ARGUMENT unless `lease` is a lease id or 0. @internal */
export function assertLeaseId(lease: LeaseId): void {
  if (!Number.isSafeInteger(lease) || lease < 0) throw invalidArgument("lease", `${lease} is not a lease id`);
}

/** @throws HubError INVALID_ARGUMENT unless `ttlMs` is a positive whole number of milliseconds. @internal */
export function assertTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
    throw invalidArgument("ttlMs", `${ttlMs} is not a positive integer`);
}

/** @throws HubError INVALID_ARGUMENT unless `revision` is a whole number >= 0. @internal */
export function assertRevision(revision: number, field: string): void {
  if (!Number.isSafeInteger(revision) || revision < 0) {
    throw invalidArgument(field, `${revision} is not a revision`);
  }
}

/** Checks every compare and op of a txn. @internal */
export function assertTxnRequest(request: TxnRequest): void {
  request.compare.forEach(assertCompare);
  for (const op of [...request.success, ...(request.failure ?? [])]) assertTxnOp(op);
}

function assertCompare(compare: Compare): void {
  assertKey(compare.key, "compare.key");
  if (compare.target === "value") assertValue(compare.value);
  else assertRevision(compare.value, `compare.${compare.target}`);
}

function assertTxnOp(op: TxnOp): void {
  if (op.type === "deletePrefix") {
    if (typeof op.prefix !== "string") throw invalidArgument("prefix", "must be a string");
    return;
  }
  assertKey(op.key);
  if (op.type === "put") {
    assertValue(op.value);
    if (op.lease !== undefined) assertLeaseId(op.lease);
  }
}
