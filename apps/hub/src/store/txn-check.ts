import { invalidArgument } from "../errors/hub-error.js";
import type { KeySpace } from "./key-space.js";
import type { Compare, CompareOp, TxnOp } from "./store.js";

/**
 * True when `compare` holds against the current keys. A missing key has version, createRevision
 * and modRevision 0 and value undefined, so `value != x` holds for it and `value == x` does not.
 * @internal
 */
export function compareHolds(keys: KeySpace, compare: Compare): boolean {
  const kv = keys.get(compare.key);
  if (compare.target === "value") {
    const equal = kv !== undefined && kv.value === compare.value;
    return compare.op === "==" ? equal : !equal;
  }
  const actual = kv === undefined ? 0 : kv[compare.target];
  return compareNumbers(actual, compare.op, compare.value);
}

function compareNumbers(actual: number, op: CompareOp, expected: number): boolean {
  switch (op) {
    case "==":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case "<":
      return actual < expected;
    case ">":
      return actual > expected;
  }
}

/**
 * Rejects a branch that writes one key twice, as etcd does ("duplicate key given in txn request"):
 * puts must name distinct keys, none of them deleted or under a deleted prefix in the same branch.
 * Deletes may overlap each other.
 * @throws HubError INVALID_ARGUMENT
 * @internal
 */
export function assertNoOverlap(ops: readonly TxnOp[]): void {
  const putKeys = new Set<string>();
  const deletedKeys = new Set<string>();
  const deletedPrefixes: string[] = [];
  for (const op of ops) {
    if (op.type === "put") {
      if (putKeys.has(op.key)) throw invalidArgument("txn", `key ${JSON.stringify(op.key)} is put twice`);
      putKeys.add(op.key);
    } else if (op.type === "delete") deletedKeys.add(op.key);
    else deletedPrefixes.push(op.prefix);
  }
  for (const key of putKeys) {
    if (deletedKeys.has(key) || deletedPrefixes.some((prefix) => key.startsWith(prefix))) {
      throw invalidArgument("txn", `key ${JSON.stringify(key)} is both put and deleted`);
    }
  }
}
