import { describe, expect, it } from "vitest";
import { readReportedHealth } from "./health-body.js";

describe("readReportedHealth", () => {
  it.each([
    ['{"service_name":"a","status":"healthy"}', "healthy"],
    ['{"service_name":"a","status":"degraded"}', "degraded"],
    ['{"service_name":"a","status":"unhealthy"}', "unhealthy"],
    ['  {"status":"DEGRADED"}', "degraded"],
    ['{"status":"INSTANCE_STATUS_UNHEALTHY"}', "unhealthy"],
    ['{"status":"ok"}', undefined],
    ['{"status":2}', undefined],
    ['{"dependencies":{"db":"unhealthy"}}', undefined],
    ['["degraded"]', undefined],
    ['{"status":"degraded"', undefined],
    ["OK", undefined],
    ["", undefined],
  ])("reads %j as %s", (body, expected) => {
    expect(readReportedHealth(body)).toBe(expected);
  });
});
