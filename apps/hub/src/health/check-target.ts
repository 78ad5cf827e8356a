import { z } from "zod";
import { HubError } from "../errors/hub-error.js";
import type { DampingThresholds } from "./damping.js";
import type { ProbeTarget } from "./probe.js";

/** One thing the scheduler checks: where to probe, how often, and how to damp the results. */
export interface CheckTarget extends ProbeTarget, DampingThresholds {
  /** Time between the starts of two probes. At most 2147483647 (what timers can hold). */
  readonly intervalMs: number;
  /** Time one probe may take; must be below `intervalMs`, so a target never has two in flight. */
  readonly timeoutMs: number;
}

// Node timers overflow past 2^31-1 ms and then fire at once, so longer intervals are refused.
const maxDelayMs = 2_147_483_647;

const checkTargetSchema = z
  .object({
    key: z.string().min(1),
    protocol: z.enum(["http", "https", "grpc", "h2c", "tcp"]),
    host: z.string().min(1),
    port: z.int().min(1).max(65_535),
    path: z.string(),
    grpcService: z.string(),
    intervalMs: z.int().min(1).max(maxDelayMs),
    timeoutMs: z.int().min(1),
    rise: z.int().min(1),
    fall: z.int().min(1),
  })
  .check((ctx) => {
    if (ctx.value.timeoutMs >= ctx.value.intervalMs) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value.timeoutMs,
        path: ["timeoutMs"],
        message: `must be below intervalMs (got timeoutMs ${ctx.value.timeoutMs}, intervalMs ${ctx.value.intervalMs})`,
      });
    }
  });

/**
 * Checks a target and returns a frozen copy (so later changes to the caller's object cannot
 * reach the scheduler).
 * @throws HubError INVALID_ARGUMENT naming the offending field, e.g.
 *   "timeoutMs: must be below intervalMs (got timeoutMs 5000, intervalMs 5000)".
 */
export function validateCheckTarget(target: CheckTarget): CheckTarget {
  const parsed = checkTargetSchema.safeParse(target);
  if (parsed.success) return Object.freeze(parsed.data);
  const issues = parsed.error.issues;
  const field = issues[0]?.path.join(".") ?? "target";
  const message = issues.map((issue) => `${issue.path.join(".") || "target"}: ${issue.message}`).join("; ");
  throw new HubError("INVALID_ARGUMENT", message, { details: { field } });
}

/** Whether two targets probe the same way (everything but the damping thresholds matches). @internal */
export function sameProbeSettings(a: CheckTarget, b: CheckTarget): boolean {
  return (
    a.protocol === b.protocol &&
    a.host === b.host &&
    a.port === b.port &&
    a.path === b.path &&
    a.grpcService === b.grpcService &&
    a.intervalMs === b.intervalMs &&
    a.timeoutMs === b.timeoutMs
  );
}
