import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets (tokens, signatures) in time that does not depend on where they differ.
 * `crypto.timingSafeEqual` throws on inputs of different lengths, and checking the lengths first
 * would return early; so both sides are hashed to 32 bytes first and compared whole, and the
 * length check only runs after that comparison. Strings are compared as UTF-8.
 *
 * @example
 * if (!constantTimeEqual(bearerToken(request.headers) ?? "", expectedToken)) throw new ServiceError("UNAUTHENTICATED", "bad token");
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const left = toBytes(a);
  const right = toBytes(b);
  const same = timingSafeEqual(digest(left), digest(right));
  return same && left.length === right.length;
}

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined when there is none.
 * The scheme is matched case-insensitively, as RFC 9110 says.
 */
export function bearerToken(headers: { readonly authorization?: string | undefined }): string | undefined {
  const value = headers.authorization;
  if (value === undefined) return undefined;
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(value);
  return match?.[1];
}

function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? Buffer.from(value, "utf8") : value;
}

function digest(value: Uint8Array): Buffer {
  return createHash("sha256").update(value).digest();
}
