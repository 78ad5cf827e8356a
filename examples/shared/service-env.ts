/** A service's settings, read once from its environment. */
export interface ServiceEnv {
  /** `PORT`; 0 picks a free port. */
  port: number;
  /** `HUB_URL`; default `http://127.0.0.1:7000`, the hub's port in SEED.md. */
  hubUrl: string;
  /** `HEARTBEAT_INTERVAL_SECONDS`; default 3. */
  heartbeatIntervalMs: number;
  /** `INSTANCE_ID`; absent lets the hub derive the id from host and port. */
  instanceId: string | undefined;
}

function parseNumber(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name}: must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** Reads and validates the environment, failing fast on a bad value. */
export function readServiceEnv(defaultPort: number, env: NodeJS.ProcessEnv = process.env): ServiceEnv {
  return {
    port: parseNumber("PORT", env.PORT, defaultPort, 0, 65535),
    hubUrl: env.HUB_URL === undefined || env.HUB_URL === "" ? "http://127.0.0.1:7000" : env.HUB_URL,
    heartbeatIntervalMs:
      parseNumber("HEARTBEAT_INTERVAL_SECONDS", env.HEARTBEAT_INTERVAL_SECONDS, 3, 0.1, 3600) * 1000,
    instanceId: env.INSTANCE_ID === "" ? undefined : env.INSTANCE_ID,
  };
}
