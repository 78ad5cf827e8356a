import { describe, expect, it } from "vitest";
import { httpStatusOf, isServiceError, ServiceError, serviceErrorCodes } from "./service-error.js";

describe("ServiceError", () => {
  it.each(serviceErrorCodes)("maps %s to one HTTP status and a lower-case wire code", (code) => {
    const error = new ServiceError(code, "something");
    expect(error.status).toBe(httpStatusOf[code]);
    expect(error.wireCode).toBe(code.toLowerCase());
  });

  it("uses each 4xx/5xx status for one code only", () => {
    const statuses = serviceErrorCodes.map((code) => httpStatusOf[code]);
    expect(new Set(statuses).size).toBe(statuses.length);
    expect(statuses.every((status) => status >= 400 && status <= 599)).toBe(true);
  });

  it("keeps the cause, details and headers", () => {
    const cause = new Error("db down");
    const error = new ServiceError("UNAVAILABLE", "orders are unavailable", {
      cause,
      details: { retry: true },
      headers: { "retry-after": "5" },
    });
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ retry: true });
    expect(error.headers).toEqual({ "retry-after": "5" });
    expect(error.name).toBe("ServiceError");
  });

  it("is recognised by isServiceError, by code too", () => {
    const error = new ServiceError("NOT_FOUND", "no order 1");
    expect(isServiceError(error)).toBe(true);
    expect(isServiceError(error, "NOT_FOUND")).toBe(true);
    expect(isServiceError(error, "CONFLICT")).toBe(false);
    expect(isServiceError(new Error("x"))).toBe(false);
    expect(isServiceError({ code: "NOT_FOUND" })).toBe(false);
  });
});
