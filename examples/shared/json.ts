/** A plain JSON object, as parsed from a request or response body. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a string field, or undefined when it is absent or not a string. */
export function stringField(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  return typeof value === "string" ? value : undefined;
}

/** Reads a finite number field, or undefined when it is absent or not a number. */
export function numberField(obj: JsonObject, key: string): number | undefined {
  const value = obj[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Reads an array of strings, or undefined when it is absent or holds anything else. */
export function stringArrayField(obj: JsonObject, key: string): string[] | undefined {
  const value = obj[key];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) return undefined;
  return value;
}
