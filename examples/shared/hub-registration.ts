import type { HubClient, RegisterRequest } from "./hub-client.js";
import { log } from "./log.js";

/** Options of {@link createHubRegistration}. */
export interface HubRegistrationOptions {
  client: HubClient;
  request: RegisterRequest;
  /** How often to heartbeat (and, while unregistered, to retry registering). */
  heartbeatIntervalMs: number;
}

/** Keeps one instance registered with the hub for as long as the service runs. */
export interface HubRegistration {
  /** Registers now and starts the heartbeat loop; resolves after the first attempt, even a failed one. */
  start(): Promise<void>;
  /** Stops the loop and deregisters, so callers stop being sent here at once rather than after a failed check. */
  stop(): Promise<void>;
  /** The id the hub gave this instance, once registered. */
  instanceId(): string | undefined;
  /** Whether the last call to the hub got an answer. */
  hubReachable(): boolean;
}

/**
 * Creates the register → heartbeat loop. A heartbeat answered 404 means the hub lost the
 * instance (expired lease, wiped store), so it registers again; an unreachable hub is retried
 * on the next tick, so a hub restart never needs a service restart.
 */
export function createHubRegistration(options: HubRegistrationOptions): HubRegistration {
  const { client, request, heartbeatIntervalMs } = options;
  let id: string | undefined;
  let reachable = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  function setReachable(now: boolean, error?: unknown): void {
    // Log transitions only: a hub that is down for a minute should not flood the log.
    if (now !== reachable) {
      log(
        now
          ? { msg: "hub reachable", hub: client.baseUrl }
          : { msg: "hub unreachable", hub: client.baseUrl, error: String(error) },
      );
    }
    reachable = now;
  }

  async function register(): Promise<void> {
    const instance = await client.register(request);
    id = instance.id;
    log({
      msg: "registered",
      service: request.name,
      instance_id: instance.id,
      endpoint: instance.endpoint,
      hub: client.baseUrl,
    });
  }

  async function tick(): Promise<void> {
    try {
      if (id === undefined) {
        await register();
      } else if ((await client.heartbeat(request.name, id)) === "unknown") {
        log({ msg: "hub forgot this instance; registering again", instance_id: id });
        await register();
      }
      setReachable(true);
    } catch (error) {
      setReachable(false, error);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = tick().finally(schedule);
    }, heartbeatIntervalMs);
  }

  return {
    async start() {
      inFlight = tick();
      await inFlight;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      if (id === undefined) return;
      try {
        await client.deregister(request.name, id);
        log({ msg: "deregistered", service: request.name, instance_id: id });
      } catch (error) {
        log({ msg: "deregister failed", instance_id: id, error: String(error) });
      }
    },
    instanceId: () => id,
    hubReachable: () => reachable,
  };
}
