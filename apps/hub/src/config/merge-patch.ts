import { type ConfigObject, isPlainObject } from "./config-limits.js";

/**
 * Applies `patch` to `target` as a JSON merge patch (RFC 7386): objects merge key by key, `null`
 * removes a key, anything else (arrays included) replaces. Neither input is modified.
 * @example
 *   mergePatch({ features: { a: true, b: false } }, { features: { b: true } })
 *   // { features: { a: true, b: true } }
 */
export function mergePatch(target: ConfigObject, patch: ConfigObject): ConfigObject {
  const result: ConfigObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value)) {
      const base = result[key];
      result[key] = mergePatch(isPlainObject(base) ? base : {}, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}
