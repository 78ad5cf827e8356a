import { HubClientError } from "@hub/client";
import { describe, expect, it } from "vitest";
import { type ErrorMapper, internalErrorMessage, toServiceError } from "./error-mapping.js";
import { ServiceError } from "./service-error.js";

class InsufficientMarginError extends Error {}

describe("toServiceError", () => {
  it("returns a ServiceError unchanged", () => {
    const error = new ServiceError("CONFLICT", "order 1 is already filled");
    expect(toServiceError(error)).toBe(error);
  });

  it("turns an unknown error into INTERNAL without its message, keeping it as the cause", () => {
    const secret = new Error("password=hunter2 rejected by db");
    const mapped = toServiceError(secret);
    expect(mapped.code).toBe("INTERNAL");
    expect(mapped.status).toBe(500);
    expect(mapped.message).toBe(internalErrorMessage);
    expect(mapped.message).not.toContain("hunter2");
    expect(mapped.cause).toBe(secret);
  });

  it.each([["a string"], [42], [null], [undefined], [{ message: "plain object" }]])(
    "turns a thrown %j into INTERNAL",
    (thrown) => {
      expect(toServiceError(thrown).code).toBe("INTERNAL");
    },
  );

  it("tries the mappers in order and takes the first answer", () => {
    const calls: string[] = [];
    const first: ErrorMapper = () => {
      calls.push("first");
      return undefined;
    };
    const second: ErrorMapper = (error) => {
      calls.push("second");
      return error instanceof InsufficientMarginError
        ? new ServiceError("CONFLICT", "insufficient margin")
        : undefined;
    };
    const third: ErrorMapper = () => {
      calls.push("third");
      return new ServiceError("INTERNAL", "never");
    };
    const mapped = toServiceError(new InsufficientMarginError("x"), [first, second, third]);
    expect(mapped.code).toBe("CONFLICT");
    expect(calls).toEqual(["first", "second"]);
  });

  it("skips a mapper that throws", () => {
    const broken: ErrorMapper = () => {
      throw new Error("mapper bug");
    };
    expect(toServiceError(new Error("x"), [broken]).code).toBe("INTERNAL");
  });

  it("maps the hub client's NOT_FOUND and UNAVAILABLE to a generic 503", () => {
    for (const reason of ["NOT_FOUND", "UNAVAILABLE"] as const) {
      const cause = new HubClientError(reason, "no service named risk-management in the cache");
      const mapped = toServiceError(cause);
      expect(mapped.code).toBe("UNAVAILABLE");
      expect(mapped.message).toBe("a dependency is unavailable");
      expect(mapped.cause).toBe(cause);
    }
  });

  it("leaves the hub client's other reasons to INTERNAL", () => {
    expect(toServiceError(new HubClientError("INVALID_OPTIONS", "bad")).code).toBe("INTERNAL");
  });

  it("maps a fired AbortSignal.timeout to DEADLINE_EXCEEDED", async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(toServiceError(signal.reason).code).toBe("DEADLINE_EXCEEDED");
    expect(toServiceError(signal.reason).status).toBe(504);
  });
});
