import { describe, expect, it } from "vitest";
import { bareHost, formatAuthority, healthUrl } from "./target-address.js";

describe("formatAuthority", () => {
  it.each([
    ["127.0.0.1", 80, "127.0.0.1:80"],
    ["svc.internal", 8080, "svc.internal:8080"],
    ["::1", 9000, "[::1]:9000"],
    ["[::1]", 9000, "[::1]:9000"],
    ["fe80::1%eth0", 9000, "[fe80::1%eth0]:9000"],
  ])("formats %s port %i as %s", (host, port, expected) => {
    expect(formatAuthority(host, port)).toBe(expected);
  });
});

describe("bareHost", () => {
  it("strips URL brackets only", () => {
    expect(bareHost("[::1]")).toBe("::1");
    expect(bareHost("::1")).toBe("::1");
    expect(bareHost("example.com")).toBe("example.com");
  });
});

describe("healthUrl", () => {
  it.each([
    [{ protocol: "http", host: "10.0.0.5", port: 8080, path: "/health" }, "http://10.0.0.5:8080/health"],
    [{ protocol: "https", host: "svc", port: 8443, path: "/health" }, "https://svc:8443/health"],
    [{ protocol: "http", host: "::1", port: 8080, path: "health" }, "http://[::1]:8080/health"],
    [{ protocol: "http", host: "h", port: 1, path: "" }, "http://h:1/"],
    [{ protocol: "http", host: "h", port: 1, path: "/health?deep=1" }, "http://h:1/health?deep=1"],
  ] as const)("builds the URL for %j", (target, expected) => {
    expect(healthUrl(target).href).toBe(expected);
  });
});
