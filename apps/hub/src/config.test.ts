import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatHelp, type HubConfig, isHelpRequested, loadConfig } from "./config.js";
import { HubError } from "./errors/hub-error.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hub-config-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `content` (JSON-encoded unless a string) as a config file in the temp dir. */
function configFile(content: unknown, name = "hub.json"): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

function loadError(argv: string[], env: Record<string, string> = {}): HubError {
  try {
    loadConfig(argv, env, dir);
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error("expected loadConfig to throw");
}

describe("loadConfig", () => {
  it("takes fractional seconds for check timing, so tests and fast fleets can go below one second", () => {
    const config = loadConfig(["--check-interval-seconds", "0.5", "--check-timeout-seconds", "0.25"], {});
    expect(config.checks).toMatchObject({ intervalSeconds: 0.5, timeoutSeconds: 0.25 });
  });

  it("returns every default when nothing is set", () => {
    const expected: HubConfig = {
      host: "127.0.0.1",
      port: 7000,
      dataDir: join(dir, ".hub-data"),
      storage: "sqlite",
      tls: undefined,
      logLevel: "info",
      serviceName: "central-hub",
      defaultTtlSeconds: 30,
      deregisterCriticalAfterSeconds: 300,
      checks: { intervalSeconds: 10, timeoutSeconds: 2, rise: 2, fall: 3 },
      maxConcurrentChecks: 64,
      maxBodyBytes: 65_536,
      trustTenantHeaders: "loopback",
      limits: {
        maxInstancesPerService: 1000,
        maxMetadataEntries: 64,
        maxMetadataValueLength: 512,
        maxTags: 32,
      },
      corsAllowedOrigins: [],
      adminToken: undefined,
    };
    expect(loadConfig([], {}, dir)).toEqual(expected);
  });

  it.each([
    { layers: "file", file: true, env: false, flag: false, port: 7100 },
    { layers: "file + env", file: true, env: true, flag: false, port: 7200 },
    { layers: "file + env + flag", file: true, env: true, flag: true, port: 7300 },
    { layers: "file + flag", file: true, env: false, flag: true, port: 7300 },
    { layers: "env + flag", file: false, env: true, flag: true, port: 7300 },
    { layers: "env", file: false, env: true, flag: false, port: 7200 },
  ])("takes the port from the strongest layer ($layers)", ({ file, env, flag, port }) => {
    const argv = flag ? ["--port", "7300"] : [];
    const vars: Record<string, string> = env ? { HUB_PORT: "7200" } : {};
    if (file) vars.HUB_CONFIG = configFile({ port: 7100 });
    expect(loadConfig(argv, vars, dir).port).toBe(port);
  });

  it("merges layers per setting, not per layer", () => {
    const file = configFile({ host: "0.0.0.0", port: 7100, storage: "memory" });
    const config = loadConfig(["--config", file, "--port=7300"], { HUB_HOST: "10.0.0.1" }, dir);
    expect([config.host, config.port, config.storage]).toEqual(["10.0.0.1", 7300, "memory"]);
  });

  it("prefers --config over HUB_CONFIG", () => {
    const fromFlag = configFile({ port: 1 }, "flag.json");
    const fromEnv = configFile({ port: 2 }, "env.json");
    expect(loadConfig(["--config", fromFlag], { HUB_CONFIG: fromEnv }, dir).port).toBe(1);
  });

  it("treats an empty environment variable as unset", () => {
    expect(loadConfig([], { HUB_PORT: "", HUB_STORAGE: "  " }, dir)).toMatchObject({
      port: 7000,
      storage: "sqlite",
    });
  });

  it("accepts port 0 (ephemeral)", () => {
    expect(loadConfig(["--port", "0"], {}, dir).port).toBe(0);
  });

  it("maps every flag onto the nested config", () => {
    const argv = [
      "--host=::",
      "--port=7001",
      "--data-dir=data",
      "--storage=memory",
      "--tls-cert=cert.pem",
      "--tls-key=key.pem",
      "--log-level=debug",
      "--service-name=hub-2",
      "--default-ttl-seconds=15",
      "--deregister-critical-after-seconds=60",
      "--check-interval-seconds=5",
      "--check-timeout-seconds=1",
      "--check-rise=1",
      "--check-fall=4",
      "--max-concurrent-checks=8",
      "--max-body-bytes=1024",
      "--trust-tenant-headers=never",
      "--max-instances-per-service=10",
      "--max-metadata-entries=0",
      "--max-metadata-value-length=64",
      "--max-tags=0",
      "--cors-allowed-origins=http://localhost:3000, https://app.example.com",
      "--admin-token=0123456789abcdef-admin",
    ];
    const expected: HubConfig = {
      host: "::",
      port: 7001,
      dataDir: join(dir, "data"),
      storage: "memory",
      tls: { certFile: join(dir, "cert.pem"), keyFile: join(dir, "key.pem") },
      logLevel: "debug",
      serviceName: "hub-2",
      defaultTtlSeconds: 15,
      deregisterCriticalAfterSeconds: 60,
      checks: { intervalSeconds: 5, timeoutSeconds: 1, rise: 1, fall: 4 },
      maxConcurrentChecks: 8,
      maxBodyBytes: 1024,
      trustTenantHeaders: "never",
      limits: { maxInstancesPerService: 10, maxMetadataEntries: 0, maxMetadataValueLength: 64, maxTags: 0 },
      corsAllowedOrigins: ["http://localhost:3000", "https://app.example.com"],
      adminToken: "0123456789abcdef-admin",
    };
    expect(loadConfig(argv, {}, dir)).toEqual(expected);
  });

  it("reads every setting from HUB_* variables", () => {
    const env = {
      HUB_DATA_DIR: "/var/lib/hub",
      HUB_CHECK_INTERVAL_SECONDS: "20",
      HUB_CHECK_TIMEOUT_SECONDS: "19",
      HUB_MAX_METADATA_VALUE_LENGTH: "100",
      HUB_TRUST_TENANT_HEADERS: "always",
      HUB_ADMIN_TOKEN: "env-admin-token-0123456789",
    };
    expect(loadConfig([], env, dir)).toMatchObject({
      dataDir: "/var/lib/hub",
      checks: { intervalSeconds: 20, timeoutSeconds: 19 },
      limits: { maxMetadataValueLength: 100 },
      trustTenantHeaders: "always",
      adminToken: "env-admin-token-0123456789",
    });
  });

  it("resolves paths from the config file against the file's directory", () => {
    const file = configFile({ dataDir: "state", tlsCert: "tls/c.pem", tlsKey: "/abs/k.pem" }, "hub.json");
    const config = loadConfig(["--config", file], {}, "/somewhere/else");
    expect(config.dataDir).toBe(join(dir, "state"));
    expect(config.tls).toEqual({ certFile: join(dir, "tls/c.pem"), keyFile: "/abs/k.pem" });
  });

  it("accepts numbers as JSON numbers or decimal strings in the config file", () => {
    const file = configFile({ port: "7005", maxTags: 3 });
    expect(loadConfig(["--config", file], {}, dir)).toMatchObject({ port: 7005, limits: { maxTags: 3 } });
  });

  it.each([
    [["--port", "70000"], {}, "port: must be 0-65535 (from --port)"],
    [[], { HUB_PORT: "-1" }, "port: must be 0-65535 (from HUB_PORT)"],
    [["--port", "abc"], {}, "port: must be an integer (from --port)"],
    [["--port", "1.5"], {}, "port: must be an integer (from --port)"],
    [["--port", "1e3"], {}, "port: must be an integer (from --port)"],
    [["--host", ""], {}, "host: must be 1-253 characters (from --host)"],
    [["--data-dir", " "], {}, "dataDir: must be 1-4096 characters (from --data-dir)"],
    [["--storage", "redis"], {}, "storage: must be sqlite or memory (from --storage)"],
    [
      ["--log-level", "loud"],
      {},
      "logLevel: must be fatal, error, warn, info, debug, trace or silent (from --log-level)",
    ],
    [
      ["--service-name", "Central Hub"],
      {},
      "serviceName: must be a DNS label (a-z, 0-9, -), <= 63 chars (from --service-name)",
    ],
    [["--tls-cert", "c.pem"], {}, "tlsKey: required when tlsCert is set"],
    [[], { HUB_TLS_KEY: "k.pem" }, "tlsCert: required when tlsKey is set"],
    [
      ["--default-ttl-seconds", "0"],
      {},
      "defaultTtlSeconds: must be 1-86400 seconds (from --default-ttl-seconds)",
    ],
    [
      [],
      { HUB_DEREGISTER_CRITICAL_AFTER_SECONDS: "0" },
      "deregisterCriticalAfterSeconds: must be 1-604800 seconds (from HUB_DEREGISTER_CRITICAL_AFTER_SECONDS)",
    ],
    [
      ["--check-interval-seconds", "0"],
      {},
      "checkIntervalSeconds: must be 0.1-3600 seconds (from --check-interval-seconds)",
    ],
    [
      ["--check-timeout-seconds", "0"],
      {},
      "checkTimeoutSeconds: must be 0.01-3600 seconds (from --check-timeout-seconds)",
    ],
    [
      ["--check-timeout-seconds", "10"],
      {},
      "checkTimeoutSeconds: must be less than checkIntervalSeconds (10) (from --check-timeout-seconds)",
    ],
    [
      ["--check-interval-seconds", "2"],
      {},
      "checkTimeoutSeconds: must be less than checkIntervalSeconds (2)",
    ],
    [["--check-rise", "0"], {}, "checkRise: must be 1-100 (from --check-rise)"],
    [["--check-fall", "101"], {}, "checkFall: must be 1-100 (from --check-fall)"],
    [
      ["--max-concurrent-checks", "0"],
      {},
      "maxConcurrentChecks: must be 1-10000 (from --max-concurrent-checks)",
    ],
    [["--max-body-bytes", "0"], {}, "maxBodyBytes: must be 1-67108864 (from --max-body-bytes)"],
    [
      ["--trust-tenant-headers", "sometimes"],
      {},
      "trustTenantHeaders: must be loopback, always or never (from --trust-tenant-headers)",
    ],
    [
      ["--max-instances-per-service", "0"],
      {},
      "maxInstancesPerService: must be 1-1000000 (from --max-instances-per-service)",
    ],
    [
      [],
      { HUB_MAX_METADATA_ENTRIES: "-1" },
      "maxMetadataEntries: must be 0-1024 (from HUB_MAX_METADATA_ENTRIES)",
    ],
    [
      ["--max-metadata-value-length", "0"],
      {},
      "maxMetadataValueLength: must be 1-65536 (from --max-metadata-value-length)",
    ],
    [["--max-tags", "1025"], {}, "maxTags: must be 0-1024 (from --max-tags)"],
    [["--prot", "1"], {}, "command line: Unknown option '--prot'"],
    [["serve"], {}, "command line: Unexpected argument 'serve'"],
    [["--port"], {}, "command line: Option '--port <value>' argument missing"],
  ] as const)("rejects %j %j: %s", (argv, env, message) => {
    const error = loadError([...argv], env);
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message.startsWith(message)).toBe(true);
  });

  it.each([
    [{ port: "x" }, "port: must be an integer (from <file>)"],
    [{ host: 5 }, "host: must be a string (from <file>)"],
    [{ tlsCert: "c.pem", tlsKey: null }, "tlsKey: must be a string (from <file>)"],
    [{ prot: 7000 }, 'config: unknown setting "prot" in <file>'],
    [[7000], "config: <file> must hold a JSON object"],
    ["{ port: 7000 }", "config: <file> is not valid JSON"],
  ])("rejects config file %j: %s", (content, message) => {
    const file = configFile(content);
    const error = loadError(["--config", file]);
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message.startsWith(message.replaceAll("<file>", file))).toBe(true);
  });

  it("names a missing config file", () => {
    const missing = join(dir, "nope.json");
    expect(loadError([], { HUB_CONFIG: missing }).message).toBe(`config: cannot read ${missing}: ENOENT`);
  });

  it("puts the field, reason and source in the error details", () => {
    expect(loadError([], { HUB_PORT: "70000" }).details).toEqual({
      field: "port",
      reason: "must be 0-65535",
      source: "HUB_PORT",
    });
  });
});

describe("help", () => {
  it("names the command with the hub's node flags, and no empty defaults", () => {
    const help = formatHelp();
    expect(help).toContain(
      "Run it as `node --no-memory-reducer --max-semi-space-size=4 apps/hub/dist/main.js [options]`",
    );
    expect(help).not.toMatch(/Default: \.$/m);
    expect(help).toContain("Default: ./.hub-data.");
  });

  it("lists every flag with its environment variable and default", () => {
    const help = formatHelp();
    for (const line of [
      "--config <file>",
      "--port <value>",
      "HUB_PORT",
      "Default: 7000.",
      "--check-timeout-seconds <value>",
      "HUB_CHECK_TIMEOUT_SECONDS",
      "--trust-tenant-headers <value>",
      "Default: loopback.",
      "--tls-cert <value>",
      "--max-metadata-value-length <value>",
    ]) {
      expect(help).toContain(line);
    }
  });

  it.each([
    [["--help"], true],
    [["--port", "1", "-h"], true],
    [["--port", "1"], false],
  ])("isHelpRequested(%j) is %s", (argv, expected) => {
    expect(isHelpRequested(argv)).toBe(expected);
  });

  it("loadConfig accepts --help alongside settings", () => {
    expect(loadConfig(["--help", "--port", "1"], {}, dir).port).toBe(1);
  });
});
