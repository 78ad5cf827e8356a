import { describe, expect, it } from "vitest";
import { HubError } from "../errors/hub-error.js";
import { createAdminAccess } from "./admin-access.js";

const token = "admin-token-0123456789";

function outcome(
  access: ReturnType<typeof createAdminAccess>,
  remoteAddress: string,
  authorization?: string,
) {
  try {
    const headers = authorization === undefined ? {} : { authorization };
    access.authorize({ headers, peer: { remoteAddress } }, "changing config");
    return "allowed";
  } catch (error) {
    return error instanceof HubError ? error.code : String(error);
  }
}

describe("createAdminAccess", () => {
  it.each([
    ["127.0.0.1", "allowed"],
    ["::1", "allowed"],
    ["::ffff:127.0.0.1", "allowed"],
    ["10.0.0.5", "PERMISSION_DENIED"],
    ["203.0.113.9", "PERMISSION_DENIED"],
  ])("without a token, a peer at %s is %s", (peer, expected) => {
    expect(outcome(createAdminAccess(undefined), peer)).toBe(expected);
  });

  it.each([
    ["no header", undefined, "UNAUTHENTICATED"],
    ["a wrong token", "Bearer wrong", "UNAUTHENTICATED"],
    ["a longer wrong token", `Bearer ${token}x`, "UNAUTHENTICATED"],
    ["another scheme", `Basic ${token}`, "UNAUTHENTICATED"],
    ["the token", `Bearer ${token}`, "allowed"],
    ["the token, scheme in lower case", `bearer ${token}`, "allowed"],
  ])("with a token, %s is %s, wherever the peer is", (_title, header, expected) => {
    const access = createAdminAccess(token);
    expect(outcome(access, "203.0.113.9", header)).toBe(expected);
    expect(outcome(access, "127.0.0.1", header)).toBe(expected);
  });
});
