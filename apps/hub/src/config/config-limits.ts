import { invalidArgument } from "../errors/hub-error.js";

/** Bounds on one config document, so a single write cannot bloat every replica's memory or every watcher. */
export interface ConfigLimits {
  /** Largest document, as compact JSON (UTF-8 bytes). */
  readonly maxBytes: number;
  /** Deepest nesting of objects and arrays; the document itself is depth 1. */
  readonly maxDepth: number;
  /** Object keys plus array items, over the whole document. */
  readonly maxEntries: number;
  /** Longest object key, in characters. */
  readonly maxKeyLength: number;
}

/**
 * The default limits. 32 KiB leaves a document room inside the hub's default 64 KiB request body
 * (the JSON path wraps it in `{"config": ...}`), so the size limit is the one callers meet.
 */
export const defaultConfigLimits: ConfigLimits = {
  maxBytes: 32 * 1024,
  maxDepth: 16,
  maxEntries: 2_000,
  maxKeyLength: 128,
};

/** A JSON object as config documents hold it. */
export type ConfigObject = Record<string, unknown>;

/**
 * Checks that `value` is a JSON object within `limits` and returns it.
 * @throws HubError INVALID_ARGUMENT naming the offending path (e.g. `config.rate_limits.x`) and the reason.
 */
export function validateConfigDocument(value: unknown, limits: ConfigLimits, field = "config"): ConfigObject {
  if (!isPlainObject(value)) throw invalidArgument(field, "must be a JSON object");
  let entries = 0;
  const walk = (node: unknown, path: string, depth: number): void => {
    if (node === null || typeof node === "string" || typeof node === "boolean") return;
    if (typeof node === "number") {
      if (!Number.isFinite(node)) throw invalidArgument(path, "must be a finite number");
      return;
    }
    const isArray = Array.isArray(node);
    if (!isArray && !isPlainObject(node)) throw invalidArgument(path, "must be a JSON value");
    if (depth > limits.maxDepth) {
      throw invalidArgument(path, `nests deeper than the limit of ${limits.maxDepth} levels`);
    }
    const children: Array<[string, unknown]> = isArray
      ? (node as unknown[]).map((item, i) => [`${path}[${i}]`, item])
      : Object.entries(node as ConfigObject).map(([key, item]) => {
          if (key.length === 0 || key.length > limits.maxKeyLength) {
            throw invalidArgument(
              `${path}.${key.slice(0, 32)}`,
              `keys must be 1-${limits.maxKeyLength} characters`,
            );
          }
          return [`${path}.${key}`, item];
        });
    entries += children.length;
    if (entries > limits.maxEntries) {
      throw invalidArgument(field, `has more than the limit of ${limits.maxEntries} keys and array items`);
    }
    for (const [childPath, child] of children) walk(child, childPath, depth + 1);
  };
  walk(value, field, 1);
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > limits.maxBytes) {
    throw invalidArgument(field, `is ${bytes} bytes as JSON, over the limit of ${limits.maxBytes}`);
  }
  return value;
}

/** A non-null, non-array object (what JSON.parse makes of `{...}`). */
export function isPlainObject(value: unknown): value is ConfigObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
