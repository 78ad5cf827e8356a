import { Registry } from "prom-client";
import { z } from "zod";
import { type PerfClock, performanceClock } from "./clock.js";
import { PerfTrackerError } from "./perf-tracker-error.js";

/** Options of `new PerformanceTracker(serviceName, options)`. Every field is optional. */
export interface PerformanceTrackerOptions {
  /** Time source for durations and the sliding window. Default: `performance.now()`. */
  clock?: PerfClock;
  /** Length of the sliding window behind throughput and error rate, in ms. Default: 60000. */
  windowMs?: number;
  /**
   * Granularity of the sliding window, in ms: the window moves one bucket at a time and must be
   * a whole number of buckets (at most 3600). Default: 1000.
   */
  bucketMs?: number;
  /**
   * Highest duration the histograms resolve, in ms; longer durations count as this value in the
   * percentiles (count, mean and max stay exact). Default: 60000.
   */
  maxDurationMs?: number;
  /**
   * Significant decimal digits the histograms keep (1 to 5); 3 means percentiles are within
   * 0.1 % of the recorded value. Default: 3.
   */
  significantDigits?: 1 | 2 | 3 | 4 | 5;
  /**
   * Most distinct operation names tracked; calls to further names are all recorded under one
   * extra operation, {@link overflowOperationName}, so names built from request data cannot
   * exhaust memory (each operation holds a histogram of about 140 KB at the defaults). Default: 200.
   */
  maxOperations?: number;
}

/** {@link PerformanceTrackerOptions} with every default applied. @internal */
export interface ResolvedPerformanceTrackerOptions {
  readonly serviceName: string;
  readonly clock: PerfClock;
  readonly windowMs: number;
  readonly bucketMs: number;
  readonly maxDurationMs: number;
  readonly significantDigits: 1 | 2 | 3 | 4 | 5;
  readonly maxOperations: number;
}

/** Where calls to operation names past `maxOperations` are recorded. */
export const overflowOperationName = "_overflow";

/** The tracker's defaults, in one place. */
export const defaultPerformanceTrackerOptions = {
  clock: performanceClock,
  windowMs: 60_000,
  bucketMs: 1_000,
  maxDurationMs: 60_000,
  significantDigits: 3,
  maxOperations: 200,
} as const satisfies Omit<ResolvedPerformanceTrackerOptions, "serviceName">;

const maxWindowBuckets = 3_600;
// A day in microseconds is still far below 2^53, so histogram values stay exact integers.
const maxDurationLimitMs = 86_400_000;

const clockSchema = z.custom<PerfClock>(
  (value) => typeof value === "object" && value !== null && typeof Reflect.get(value, "now") === "function",
  { message: "must be an object with a now() method" },
);

const d = defaultPerformanceTrackerOptions;
const trackerSchema = z
  .strictObject({
    serviceName: z.string().min(1, { message: "must be a non-empty string" }),
    clock: clockSchema.default(d.clock),
    windowMs: z.int().min(1).default(d.windowMs),
    bucketMs: z.int().min(1).default(d.bucketMs),
    maxDurationMs: z.int().min(1).max(maxDurationLimitMs).default(d.maxDurationMs),
    significantDigits: z.literal([1, 2, 3, 4, 5]).default(d.significantDigits),
    maxOperations: z.int().min(1).default(d.maxOperations),
  })
  .check((ctx) => {
    const { windowMs, bucketMs } = ctx.value;
    if (windowMs % bucketMs !== 0 || windowMs / bucketMs > maxWindowBuckets) {
      ctx.issues.push({
        code: "custom",
        input: windowMs,
        path: ["windowMs"],
        message: `must be a whole number of buckets, at most ${maxWindowBuckets} (got windowMs ${windowMs}, bucketMs ${bucketMs})`,
      });
    }
  });

/**
 * Validates the tracker's arguments and applies the defaults.
 * @throws PerfTrackerError INVALID_ARGUMENT naming the field, e.g. "windowMs: must be a whole number of buckets …".
 * @internal
 */
export function resolvePerformanceTrackerOptions(
  serviceName: string,
  options: PerformanceTrackerOptions | undefined,
): ResolvedPerformanceTrackerOptions {
  return parseOrThrow(trackerSchema, { ...options, serviceName });
}

/** Options of `createPrometheusExporter(trackers, options)`. Every field is optional. */
export interface PrometheusExporterOptions {
  /**
   * Registry the metric families are registered in; pass the service's own to serve them beside
   * its other metrics. Default: a new, private `Registry` (never prom-client's global one).
   */
  registry?: Registry;
  /** Prefix of every metric name; empty or a valid metric name prefix. Default: "perf_". */
  prefix?: string;
}

/** {@link PrometheusExporterOptions} with every default applied. @internal */
export interface ResolvedPrometheusExporterOptions {
  readonly registry: Registry;
  readonly prefix: string;
}

/** The exporter's defaults, in one place (the registry is made per exporter). */
export const defaultPrometheusExporterOptions = { prefix: "perf_" } as const;

const registrySchema = z.custom<Registry>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof Reflect.get(value, "registerMetric") === "function" &&
    typeof Reflect.get(value, "metrics") === "function",
  { message: "must be a prom-client Registry" },
);

const exporterSchema = z.strictObject({
  registry: registrySchema.optional(),
  prefix: z
    .string()
    .regex(/^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/, { message: "must match [a-zA-Z_:][a-zA-Z0-9_:]* or be empty" })
    .default(defaultPrometheusExporterOptions.prefix),
});

/**
 * Validates the exporter's options and applies the defaults.
 * @throws PerfTrackerError INVALID_ARGUMENT naming the field.
 * @internal
 */
export function resolvePrometheusExporterOptions(
  options: PrometheusExporterOptions | undefined,
): ResolvedPrometheusExporterOptions {
  const parsed = parseOrThrow(exporterSchema, options ?? {});
  return { prefix: parsed.prefix, registry: parsed.registry ?? new Registry() };
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const field = issues[0]?.path.join(".") || "options";
  const message = issues.map((issue) => `${issue.path.join(".") || "options"}: ${issue.message}`).join("; ");
  throw new PerfTrackerError("INVALID_ARGUMENT", message, { details: { field } });
}
