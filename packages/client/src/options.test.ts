import { describe, expect, it } from "vitest";
import { systemClock } from "./clock.js";
import {
  defaultHubClientOptions,
  resolveDiscoverOptions,
  resolveHubClientOptions,
  resolveNodeHubClientOptions,
  resolveRegisterOptions,
  resolveWebHubClientOptions,
  validateRegistration,
} from "./options.js";

describe("resolveHubClientOptions", () => {
  it("applies every default", () => {
    const resolved = resolveHubClientOptions(undefined);
    expect(resolved).toMatchObject({
      hubUrls: ["http://127.0.0.1:7000"],
      tenant: {},
      legacyMode: false,
      strategy: "round_robin",
      callTimeoutMs: 10_000,
      attemptTimeoutMs: 3_000,
      snapshotWaitMs: 2_000,
      discoverFallback: true,
      watchOnStart: false,
      watchCheckIntervalMs: 15_000,
      backoff: { initialMs: 500, maxMs: 30_000, multiplier: 2, jitter: 0.5 },
      heartbeatsPerTtl: 3,
      heartbeatJitter: 0.1,
      clock: systemClock,
      random: Math.random,
      onEvent: null,
      createTransport: null,
    });
  });

  it("pins the documented defaults", () => {
    expect(defaultHubClientOptions).toMatchSnapshot();
  });

  it("drops duplicate URLs and trailing slashes, and caps the attempt timeout by the call's", () => {
    const resolved = resolveHubClientOptions({
      hubUrls: ["http://a:7000/", "http://a:7000", "https://b"],
      callTimeoutMs: 1_000,
    });
    expect(resolved.hubUrls).toEqual(["http://a:7000", "https://b"]);
    expect(resolved.attemptTimeoutMs).toBe(1_000);
  });

  it.each([
    [{ hubUrls: [] }, "hubUrls: Too small"],
    [{ hubUrls: ["ftp://a"] }, "hubUrls.0: must be an http: or https: URL"],
    [{ callTimeoutMs: 0 }, "callTimeoutMs: Too small"],
    [{ backoff: { initialMs: 5_000, maxMs: 1_000 } }, "backoff.maxMs: maxMs must be at least initialMs"],
    [{ heartbeatJitter: 0.9 }, "heartbeatJitter: Too big"],
    [{ tenant: { subscriptionTier: "gold" } }, "tenant.subscriptionTier: Invalid option"],
    [{ clock: { now: () => 1 } }, "clock: must have now(), setTimeout() and clearTimeout()"],
    [{ hubUrl: "http://a" }, 'Unrecognized key: "hubUrl"'],
  ])("rejects %j with INVALID_OPTIONS naming the field", (input, message) => {
    expect(() => resolveHubClientOptions(input as never)).toThrowError(
      expect.objectContaining({ reason: "INVALID_OPTIONS", rawMessage: expect.stringContaining(message) }),
    );
  });
});

describe("entry point options", () => {
  it("takes the Node entry's fallback options and the browser entry's transport options", () => {
    expect(resolveNodeHubClientOptions({ fallback: { sticky: false } }).fallback).toEqual({ sticky: false });
    expect(resolveWebHubClientOptions({}).transport).toEqual({
      protocol: "connect",
      useBinaryFormat: true,
      interceptors: [],
      fetch: null,
    });
    expect(() => resolveWebHubClientOptions({ protocol: "grpc" as never })).toThrowError(
      expect.objectContaining({ reason: "INVALID_OPTIONS" }),
    );
    expect(() => resolveHubClientOptions({ protocol: "connect" } as never)).toThrowError(
      expect.objectContaining({ reason: "INVALID_OPTIONS" }),
    );
  });
});

describe("per-call options", () => {
  const client = resolveHubClientOptions({
    tenant: { companyId: "acme", correlationId: "c" },
    strategy: "weighted",
  });

  it("merges a registration's tenant over the client's", () => {
    expect(resolveRegisterOptions(client, { tenant: { correlationId: "r" } })).toMatchObject({
      tenant: { companyId: "acme", correlationId: "r" },
      registerTimeoutMs: 30_000,
      heartbeatIntervalMs: null,
      load: null,
    });
  });

  it("fills discover's options from the client's and notices a tenant that sees another view", () => {
    expect(resolveDiscoverOptions(client, undefined)).toMatchObject({
      strategy: "weighted",
      tenantDiffers: false,
      snapshotWaitMs: 2_000,
      fallback: true,
    });
    expect(resolveDiscoverOptions(client, { tenant: { correlationId: "x" } }).tenantDiffers).toBe(false);
    expect(resolveDiscoverOptions(client, { tenant: { userId: "u" } }).tenantDiffers).toBe(true);
  });

  it("checks a registration's shape", () => {
    const good = { name: "risk", host: "10.0.0.1", port: 8001 };
    expect(validateRegistration(good)).toBe(good);
    expect(() => validateRegistration({ ...good, port: 70_000, protocol: "udp" as never })).toThrowError(
      expect.objectContaining({
        rawMessage: expect.stringMatching(/registration\.port: .*; registration\.protocol: /),
      }),
    );
  });
});
