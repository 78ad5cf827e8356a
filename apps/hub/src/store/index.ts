export type {
  Compare,
  CompareOp,
  DeleteResult,
  KeyValue,
  LeaseId,
  LeaseStatus,
  PutOptions,
  RangeResult,
  Store,
  TxnOp,
  TxnRequest,
  TxnResult,
  Watch,
  WatchBatch,
  WatchEvent,
  WatchOptions,
  WriteResult,
} from "./store.js";
export { CompactedError } from "./store.js";
export { LeaseNotFoundError, StoreClosedError } from "./store-errors.js";
export { createMemoryStore } from "./memory-store.js";
export { createSqliteStore, type SqliteStore } from "./sqlite-store.js";
export { createStore, type StoreConfig, storeFileName } from "./create-store.js";
export type { MemoryStoreOptions, SqliteStoreOptions } from "./store-options.js";
