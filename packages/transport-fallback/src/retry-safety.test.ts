import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { createContextValues } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import type { ErrorClassification } from "./classify-error.js";
import { idempotentCall, isIdempotent, mayFallBack } from "./retry-safety.js";

const level = MethodOptions_IdempotencyLevel;

describe("isIdempotent", () => {
  it.each([
    [level.IDEMPOTENCY_UNKNOWN, false],
    [level.NO_SIDE_EFFECTS, true],
    [level.IDEMPOTENT, true],
  ])("reads the proto's idempotency_level %i", (idempotency, expected) => {
    expect(isIdempotent({ idempotency })).toBe(expected);
  });

  it.each([
    [level.IDEMPOTENCY_UNKNOWN, true],
    [level.NO_SIDE_EFFECTS, false],
  ])("lets a per-call value override level %i", (idempotency, override) => {
    const contextValues = createContextValues().set(idempotentCall, override);
    expect(isIdempotent({ idempotency }, contextValues)).toBe(override);
  });

  it("falls back to the proto when the context value is unset", () => {
    expect(isIdempotent({ idempotency: level.IDEMPOTENT }, createContextValues())).toBe(true);
  });
});

describe("mayFallBack", () => {
  const notSent: ErrorClassification = {
    kind: "transport",
    reason: "connection_refused",
    delivery: "not_sent",
    evidence: "ECONNREFUSED",
  };
  const maybeSent: ErrorClassification = {
    kind: "transport",
    reason: "connection_reset",
    delivery: "maybe_sent",
    evidence: "ECONNRESET",
  };

  it.each([
    ["not sent, idempotent", notSent, true, true],
    ["not sent, not idempotent", notSent, false, true],
    ["maybe sent, idempotent", maybeSent, true, true],
    ["maybe sent, not idempotent", maybeSent, false, false],
    ["application error", { kind: "application" } as const, true, false],
    ["unrecognized error", { kind: "unrecognized" } as const, true, false],
  ])("%s -> %s", (_name, classification, idempotent, expected) => {
    expect(mayFallBack(classification, idempotent)).toBe(expected);
  });
});
