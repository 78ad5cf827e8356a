import { z } from "zod";
import { type Clock, systemClock } from "../clock.js";
import { HubError } from "../errors/hub-error.js";

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Source of time for lease expiry. Default: the system clock. */
  clock?: Clock;
  /** Revisions kept for watch replay; older ones raise CompactedError. Default: 10,000. */
  historyLimit?: number;
}

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions extends MemoryStoreOptions {
  /** The database file; created (with its WAL files beside it) when missing. Required. */
  path: string;
}

/** @internal */
export interface ResolvedMemoryStoreOptions {
  readonly clock: Clock;
  readonly historyLimit: number;
}

/** @internal */
export interface ResolvedSqliteStoreOptions extends ResolvedMemoryStoreOptions {
  readonly path: string;
}

const clockSchema = z.custom<Clock>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<Clock>).now === "function" &&
    typeof (value as Partial<Clock>).setTimeout === "function" &&
    typeof (value as Partial<Clock>).clearTimeout === "function",
  { message: "must be a Clock (now, setTimeout, clearTimeout)" },
);

const memorySchema = z.object({
  clock: clockSchema.default(systemClock),
  historyLimit: z.number().int().min(1).default(10_000),
});

const sqliteSchema = memorySchema.extend({
  path: z.string().min(1),
});

/**
 * Validates and defaults {@link MemoryStoreOptions}; the only place its defaults live.
 * @throws HubError INVALID_ARGUMENT naming each bad field.
 * @internal
 */
export function resolveMemoryStoreOptions(input: MemoryStoreOptions = {}): ResolvedMemoryStoreOptions {
  return parse(memorySchema, input, "memory store options");
}

/**
 * Validates and defaults {@link SqliteStoreOptions}.
 * @throws HubError INVALID_ARGUMENT naming each bad field.
 * @internal
 */
export function resolveSqliteStoreOptions(input: SqliteStoreOptions): ResolvedSqliteStoreOptions {
  return parse(sqliteSchema, input, "sqlite store options");
}

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  throw new HubError("INVALID_ARGUMENT", `invalid ${what}: ${issues.join("; ")}`, { details: { issues } });
}
