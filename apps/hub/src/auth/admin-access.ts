import { createHash, timingSafeEqual } from "node:crypto";
import { HubError } from "../errors/hub-error.js";
import {
  type CallerRequest,
  isFetchHeaders,
  isLoopbackAddress,
  type RequestHeaders,
} from "./tenant-context.js";

/** Decides who may change what every service reads (config writes). */
export interface AdminAccess {
  /**
   * Returns when the request comes from an admin.
   * @throws HubError UNAUTHENTICATED (token missing or wrong) or PERMISSION_DENIED (no token
   *   configured and the caller is not on this machine).
   */
  authorize(request: CallerRequest, action: string): void;
}

/**
 * With `adminToken` set, an admin is a request with `authorization: Bearer <adminToken>` (compared
 * in constant time). Without it, the hub runs in development mode: callers on this machine
 * (loopback) are admins and nobody else is, so a hub bound to a public address without a token
 * refuses every config write.
 */
export function createAdminAccess(adminToken: string | undefined): AdminAccess {
  // Comparing fixed-length digests keeps timingSafeEqual from throwing on a length mismatch
  // and the comparison from revealing the token's length.
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return {
    authorize(request, action) {
      if (expected === undefined) {
        if (isLoopbackAddress(request.peer.remoteAddress)) return;
        throw new HubError(
          "PERMISSION_DENIED",
          `${action} needs an admin: the hub has no admin token, so only callers on its own machine may (set --admin-token)`,
        );
      }
      const presented = bearerToken(request.headers);
      if (presented === undefined) {
        throw new HubError("UNAUTHENTICATED", `authorization: ${action} needs "Bearer <admin token>"`, {
          details: { field: "authorization" },
        });
      }
      if (!timingSafeEqual(digest(presented), expected)) {
        throw new HubError("UNAUTHENTICATED", "authorization: the admin token is not valid", {
          details: { field: "authorization" },
        });
      }
    },
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/** The token of an `authorization: Bearer <token>` header (scheme in any case), else undefined. */
function bearerToken(headers: RequestHeaders): string | undefined {
  const raw = isFetchHeaders(headers) ? headers.get("authorization") : headers.authorization;
  if (typeof raw !== "string") return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(raw);
  return match?.[1];
}
