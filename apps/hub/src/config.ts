import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { type TenantHeaderTrust, tenantHeaderTrustPolicies } from "./auth/index.js";
import { HubError, invalidArgument } from "./errors/hub-error.js";
import { startCommand } from "./node-flags.js";

/** Where durable state lives: an embedded SQLite file under `dataDir`, or process memory (tests). */
export type StorageKind = "sqlite" | "memory";

/** pino levels, plus "silent" to turn logging off. */
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Paths of a PEM certificate chain and its private key; when present the hub serves TLS only. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** The health check an instance gets when its registration does not say otherwise. */
export interface HealthCheckDefaults {
  readonly intervalSeconds: number;
  /** Always less than `intervalSeconds`. */
  readonly timeoutSeconds: number;
  /** Consecutive passes before an instance is healthy. */
  readonly rise: number;
  /** Consecutive failures before an instance is unhealthy. */
  readonly fall: number;
}

/** Bounds on what one registration may carry. */
export interface HubLimits {
  readonly maxInstancesPerService: number;
  readonly maxMetadataEntries: number;
  readonly maxMetadataValueLength: number;
  readonly maxTags: number;
}

/** The hub's validated settings; every field is present, so no code downstream applies defaults. */
export interface HubConfig {
  readonly host: string;
  /** 0 asks the OS for a free port. */
  readonly port: number;
  /** Absolute. */
  readonly dataDir: string;
  readonly storage: StorageKind;
  /** Absolute paths, or undefined for cleartext (HTTP/1.1 + h2c on one port). */
  readonly tls: TlsFiles | undefined;
  readonly logLevel: LogLevel;
  /** The name the hub reports for itself in `/health`. */
  readonly serviceName: string;
  /** Lease of an instance that does not ask for one. */
  readonly defaultTtlSeconds: number;
  /** How long an instance may stay unhealthy before it is removed, unless it asks otherwise. */
  readonly deregisterCriticalAfterSeconds: number;
  readonly checks: HealthCheckDefaults;
  /** Health checks in flight at once, across all instances. */
  readonly maxConcurrentChecks: number;
  /** Largest accepted request body (plain JSON and Connect unary). */
  readonly maxBodyBytes: number;
  /** Which callers may assert tenant headers; see `resolveTenantContext`. */
  readonly trustTenantHeaders: TenantHeaderTrust;
  readonly limits: HubLimits;
  /** Browser origins allowed by CORS; ["*"] allows any; empty allows none. */
  readonly corsAllowedOrigins: readonly string[];
  /**
   * Bearer token that config writes must present; undefined lets only callers on this machine
   * write (development). Never logged.
   */
  readonly adminToken: string | undefined;
}

/** Turns a decimal string (flags, env) into a number, leaving anything else for zod to reject. */
function decimal(value: unknown): unknown {
  return typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
}

/** A duration in seconds; fractions allowed (0.5 = 500 ms), so tests and fast fleets can go below 1 s. */
function seconds(min: number, max: number) {
  const range = { error: `must be ${min}-${max} seconds` };
  const numeric = { error: "must be a number of seconds" };
  return z.preprocess(
    (value) => (typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value),
    z.number(numeric).min(min, range).max(max, range),
  );
}

function integer(min: number, max: number) {
  const range = { error: `must be ${min}-${max}` };
  const whole = { error: "must be an integer" };
  return z.preprocess(decimal, z.number(whole).int(whole).min(min, range).max(max, range));
}

function text(maxLength: number) {
  const reason = { error: `must be 1-${maxLength} characters` };
  return z.string({ error: "must be a string" }).trim().min(1, reason).max(maxLength, reason);
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const list = `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
  return z.enum(values, { error: `must be ${list}` });
}

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const DAY = 86_400;

/**
 * Every setting, flat: the key is also the config-file key, its kebab-case form the flag and its
 * SCREAMING_SNAKE form (after HUB_) the environment variable. Defaults and descriptions live here
 * and nowhere else; `--help` is generated from this table.
 */
const settingsShape = {
  host: text(253).default("127.0.0.1").describe("Interface to listen on"),
  port: integer(0, 65_535).default(7000).describe("TCP port; 0 picks a free one"),
  dataDir: text(4096).default("./.hub-data").describe("Directory for the SQLite file"),
  storage: oneOf(["sqlite", "memory"])
    .default("sqlite")
    .describe("State backend: sqlite (durable, under --data-dir) or memory"),
  tlsCert: text(4096).optional().describe("PEM certificate chain; enables TLS (with --tls-key)"),
  tlsKey: text(4096).optional().describe("PEM private key (with --tls-cert)"),
  logLevel: oneOf(logLevels)
    .default("info")
    .describe("Log level: fatal, error, warn, info, debug (every request), trace or silent"),
  serviceName: z
    .string({ error: "must be a string" })
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: "must be a DNS label (a-z, 0-9, -), <= 63 chars",
    })
    .default("central-hub")
    .describe("Name the hub reports in /health"),
  defaultTtlSeconds: seconds(1, DAY).default(30).describe("Instance lease when none is asked for"),
  deregisterCriticalAfterSeconds: seconds(1, 7 * DAY)
    .default(300)
    .describe("Remove an instance this long after its lease lapsed (no heartbeat or passing check)"),
  checkIntervalSeconds: seconds(0.1, 3600).default(10).describe("Default health-check interval"),
  checkTimeoutSeconds: seconds(0.01, 3600).default(2).describe("Default health-check timeout (< interval)"),
  checkRise: integer(1, 100).default(2).describe("Passes before healthy"),
  checkFall: integer(1, 100).default(3).describe("Failures before unhealthy"),
  maxConcurrentChecks: integer(1, 10_000).default(64).describe("Health checks in flight at once"),
  maxBodyBytes: integer(1, 64 * 1024 * 1024)
    .default(65_536)
    .describe("Largest request body"),
  trustTenantHeaders: oneOf(tenantHeaderTrustPolicies)
    .default("loopback")
    .describe(
      "Who may assert x-company-id / x-subscription-tier: loopback (callers on this machine), always (behind a gateway that sets them) or never",
    ),
  maxInstancesPerService: integer(1, 1_000_000).default(1000).describe("Instances per service"),
  maxMetadataEntries: integer(0, 1024).default(64).describe("Metadata entries per instance"),
  maxMetadataValueLength: integer(1, 65_536).default(512).describe("Characters per metadata value"),
  maxTags: integer(0, 1024).default(32).describe("Tags per instance"),
  corsAllowedOrigins: z
    .string({ error: "must be a comma-separated list of origins" })
    .regex(/^(\*|(https?:\/\/[^\s,/]+)(\s*,\s*https?:\/\/[^\s,/]+)*)?$/, {
      error: "must be *, or origins like http://localhost:3000 separated by commas",
    })
    .default("")
    .describe("Browser origins allowed to call the hub (CORS); * for any, empty for none"),
  adminToken: z
    .string({ error: "must be a string" })
    .trim()
    .min(16, { error: "must be 16-4096 characters" })
    .max(4096, { error: "must be 16-4096 characters" })
    .regex(/^[\x21-\x7e]+$/, { error: "must be printable ASCII without spaces" })
    .optional()
    .describe(
      "Token config writes must send as 'authorization: Bearer <token>' (16-4096 printable ASCII characters, no spaces); unset, only callers on this machine may write config",
    ),
};

type SettingKey = keyof typeof settingsShape;
const settingKeys = Object.keys(settingsShape) as SettingKey[];

const settingsSchema = z.object(settingsShape).superRefine((s, ctx) => {
  if (s.checkTimeoutSeconds >= s.checkIntervalSeconds) {
    const message = `must be less than checkIntervalSeconds (${s.checkIntervalSeconds})`;
    ctx.addIssue({ code: "custom", path: ["checkTimeoutSeconds"], message });
  }
  if ((s.tlsCert === undefined) !== (s.tlsKey === undefined)) {
    const [missing, given] = s.tlsCert === undefined ? ["tlsCert", "tlsKey"] : ["tlsKey", "tlsCert"];
    ctx.addIssue({ code: "custom", path: [missing], message: `required when ${given} is set` });
  }
});

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const envName = (key: string) => `HUB_${kebab(key).replaceAll("-", "_").toUpperCase()}`;

/** One layer's raw value for a setting, and where it came from (for error messages and paths). */
interface Sourced {
  readonly value: unknown;
  /** "--port", "HUB_PORT" or the config file path. */
  readonly source: string;
  /** Relative paths are resolved against this directory. */
  readonly baseDir: string;
}

/**
 * Reads the hub's settings once: flags > environment (HUB_*) > JSON config file (`--config` or
 * HUB_CONFIG) > defaults. Relative paths resolve against `cwd`, or against the config file's
 * directory when they come from the file. An empty environment variable counts as unset.
 *
 * @throws HubError INVALID_ARGUMENT naming the setting, the reason and the source, e.g.
 *   `port: must be 0-65535 (from HUB_PORT)`.
 * @example
 *   const config = loadConfig(process.argv.slice(2), process.env);
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): HubConfig {
  const flags = parseFlags(argv);
  const configPath = flags.get("config") ?? nonEmpty(env.HUB_CONFIG);
  const layers = new Map<SettingKey, Sourced>();
  if (configPath !== undefined) {
    const file = resolve(cwd, configPath);
    for (const [key, value] of Object.entries(readConfigFile(file))) {
      layers.set(key as SettingKey, { value, source: file, baseDir: dirname(file) });
    }
  }
  for (const key of settingKeys) {
    const fromEnv = nonEmpty(env[envName(key)]);
    if (fromEnv !== undefined) layers.set(key, { value: fromEnv, source: envName(key), baseDir: cwd });
    const fromFlag = flags.get(kebab(key));
    if (fromFlag !== undefined) layers.set(key, { value: fromFlag, source: `--${kebab(key)}`, baseDir: cwd });
  }

  const parsed = settingsSchema.safeParse(Object.fromEntries([...layers].map(([k, s]) => [k, s.value])));
  if (!parsed.success) {
    // Report the first problem only: fixing it may change the rest (e.g. a cross-field rule).
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "config");
    const source = layers.get(field as SettingKey)?.source;
    const from = source === undefined ? "" : ` (from ${source})`;
    throw new HubError("INVALID_ARGUMENT", `${field}: ${issue.message}${from}`, {
      details: { field, reason: issue.message, ...(source === undefined ? {} : { source }) },
    });
  }
  const s = parsed.data;
  const path = (key: SettingKey, value: string) => resolve(layers.get(key)?.baseDir ?? cwd, value);
  return {
    host: s.host,
    port: s.port,
    dataDir: path("dataDir", s.dataDir),
    storage: s.storage,
    tls:
      s.tlsCert === undefined || s.tlsKey === undefined
        ? undefined
        : { certFile: path("tlsCert", s.tlsCert), keyFile: path("tlsKey", s.tlsKey) },
    logLevel: s.logLevel,
    serviceName: s.serviceName,
    defaultTtlSeconds: s.defaultTtlSeconds,
    deregisterCriticalAfterSeconds: s.deregisterCriticalAfterSeconds,
    checks: {
      intervalSeconds: s.checkIntervalSeconds,
      timeoutSeconds: s.checkTimeoutSeconds,
      rise: s.checkRise,
      fall: s.checkFall,
    },
    maxConcurrentChecks: s.maxConcurrentChecks,
    maxBodyBytes: s.maxBodyBytes,
    trustTenantHeaders: s.trustTenantHeaders,
    limits: {
      maxInstancesPerService: s.maxInstancesPerService,
      maxMetadataEntries: s.maxMetadataEntries,
      maxMetadataValueLength: s.maxMetadataValueLength,
      maxTags: s.maxTags,
    },
    corsAllowedOrigins: s.corsAllowedOrigins
      .split(",")
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ""),
    adminToken: s.adminToken,
  };
}

/** True when the command line asks for `--help` / `-h`; check before {@link loadConfig}. */
export function isHelpRequested(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === "--help" || arg === "-h");
}

/**
 * The `--help` text: every flag with its environment variable and default.
 * @param command how to run the hub; main.ts passes the path the user ran
 */
export function formatHelp(command = startCommand("apps/hub/dist/main.js", ".")): string {
  const defaults = settingsSchema.parse({}) as Record<string, unknown>;
  const entry = (flag: string, text: string) => `  ${flag}\n      ${text}`;
  const settings = settingKeys.map((key) => {
    // An empty default (no CORS origins, no admin token) is no value worth showing.
    const shown = defaults[key] === undefined ? "" : String(defaults[key]);
    const fallback = shown === "" ? "" : ` Default: ${shown}.`;
    return entry(
      `--${kebab(key)} <value>`,
      `${settingsShape[key].description}. Env ${envName(key)}.${fallback}`,
    );
  });
  return [
    "Usage: hub [options]",
    "",
    "Settings come from flags, then HUB_* environment variables, then a JSON config file, then defaults.",
    `Run it as \`${command} [options]\` (the first flag cannot go in NODE_OPTIONS;`,
    "see API.md, Running the hub).",
    "",
    entry(
      "--config <file>",
      "JSON file with any settings below as camelCase keys (dataDir, checkRise, ...). Env HUB_CONFIG.",
    ),
    ...settings,
    entry("-h, --help", "Print this help."),
    "",
  ].join("\n");
}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    config: { type: "string" },
    help: { type: "boolean", short: "h" },
  };
  for (const key of settingKeys) options[kebab(key)] = { type: "string" };
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs throws TypeErrors with readable messages ("Unknown option '--prot'").
    const reason = error instanceof Error ? error.message : String(error);
    throw new HubError("INVALID_ARGUMENT", `command line: ${reason}`, {
      cause: error,
      details: { field: "command line", reason },
    });
  }
  const flags = new Map<string, string>();
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string") flags.set(name, value);
  }
  return flags;
}

function readConfigFile(file: string): Record<string, unknown> {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (error) {
    const reason = `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    throw new HubError("INVALID_ARGUMENT", `config: ${reason}`, {
      cause: error,
      details: { field: "config", reason },
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    const reason = `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    throw new HubError("INVALID_ARGUMENT", `config: ${reason}`, {
      cause: error,
      details: { field: "config", reason },
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidArgument("config", `${file} must hold a JSON object`);
  }
  const unknownKey = Object.keys(parsed).find((key) => !Object.hasOwn(settingsShape, key));
  if (unknownKey !== undefined) {
    throw invalidArgument("config", `unknown setting "${unknownKey}" in ${file}`);
  }
  return parsed as Record<string, unknown>;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
