import { describe, expect, it } from "vitest";
import { isBaseServiceError } from "./base-service-error.js";
import { Router } from "./router.js";
import { isServiceError } from "./service-error.js";

function table(...routes: Array<[string, string]>): Router<string> {
  const router = new Router<string>();
  for (const [method, pattern] of routes) router.add(method, pattern, `${method} ${pattern}`);
  return router;
}

function found(router: Router<string>, method: string, path: string) {
  const match = router.match(method, path);
  if (match.kind !== "found") throw new Error(`expected a match, got ${match.kind}`);
  return { handler: match.route.handler, params: match.params };
}

describe("Router", () => {
  it("matches literal paths and captures :params, URL-decoded", () => {
    const router = table(["GET", "/orders"], ["GET", "/orders/:id"], ["POST", "/orders/:id/items/:item"]);
    expect(found(router, "GET", "/orders").handler).toBe("GET /orders");
    expect(found(router, "GET", "/orders/a%20b")).toEqual({
      handler: "GET /orders/:id",
      params: { id: "a b" },
    });
    expect(found(router, "POST", "/orders/1/items/2").params).toEqual({ id: "1", item: "2" });
  });

  it("prefers literal segments over :params over *, leftmost first, whatever the order added", () => {
    const router = table(
      ["GET", "/files/*"],
      ["GET", "/:kind/latest"],
      ["GET", "/orders/:id"],
      ["GET", "/orders/latest"],
    );
    expect(found(router, "GET", "/orders/latest").handler).toBe("GET /orders/latest");
    expect(found(router, "GET", "/orders/7").handler).toBe("GET /orders/:id");
    expect(found(router, "GET", "/quotes/latest").handler).toBe("GET /:kind/latest");
    expect(found(router, "GET", "/files/a/b%2Fc").params).toEqual({ "*": "a/b/c" });
    expect(found(router, "GET", "/files").params).toEqual({ "*": "" });
  });

  it("ignores a trailing slash and does not match empty :params", () => {
    const router = table(["GET", "/orders/:id"]);
    expect(found(router, "GET", "/orders/1/").params).toEqual({ id: "1" });
    expect(router.match("GET", "/orders//").kind).toBe("not_found");
    expect(router.match("GET", "/orders/1/extra").kind).toBe("not_found");
  });

  it("answers HEAD with the GET route unless there is a HEAD route", () => {
    const router = table(["GET", "/a"], ["GET", "/b"], ["HEAD", "/b"]);
    expect(found(router, "HEAD", "/a").handler).toBe("GET /a");
    expect(found(router, "HEAD", "/b").handler).toBe("HEAD /b");
  });

  it("lists the allowed methods when only the method is wrong", () => {
    const router = table(["GET", "/orders/:id"], ["DELETE", "/orders/:id"]);
    expect(router.match("PUT", "/orders/1")).toEqual({
      kind: "method_not_allowed",
      allowed: ["DELETE", "GET", "HEAD"],
    });
    expect(router.match("PUT", "/nothing")).toEqual({ kind: "not_found" });
  });

  it("accepts lower-case methods", () => {
    expect(found(table(["post", "/x"]), "POST", "/x").handler).toBe("post /x");
  });

  it.each([
    ["FETCH", "/x", "method must be one of"],
    ["GET", "x", 'must start with "/"'],
    ["GET", "/a/*/b", '"*" must be the last segment'],
    ["GET", "/a/:9x", 'bad parameter name "9x"'],
  ])("refuses %s %s", (method, pattern, message) => {
    const router = new Router<string>();
    try {
      router.add(method, pattern, "h");
      expect.unreachable();
    } catch (error) {
      expect(isBaseServiceError(error, "INVALID_ROUTE")).toBe(true);
      expect((error as Error).message).toContain(message);
    }
  });

  it("refuses the same route twice, even with other parameter names", () => {
    const router = table(["GET", "/orders/:id"]);
    expect(() => router.add("GET", "/orders/:orderId", "h")).toThrow("already defined");
    expect(() => router.add("POST", "/orders/:orderId", "h")).not.toThrow();
  });

  it("answers bad percent-encoding with a 400", () => {
    try {
      table(["GET", "/orders/:id"]).match("GET", "/orders/%E0%A4%A");
      expect.unreachable();
    } catch (error) {
      expect(isServiceError(error, "INVALID_ARGUMENT")).toBe(true);
    }
  });

  it("lists its routes in the order added", () => {
    expect(
      table(["GET", "/b"], ["POST", "/a"])
        .routes()
        .map((r) => `${r.method} ${r.pattern}`),
    ).toEqual(["GET /b", "POST /a"]);
  });
});
