import { ConnectError } from "@connectrpc/connect";
import { backoffDelay } from "./backoff.js";
import { sleep } from "./clock.js";
import { createEventBus } from "./events.js";
import { HubClientError, isHubClientError } from "./hub-client-error.js";
import type { InstanceRegistration, ResolvedRegisterOptions } from "./options.js";
import {
  type Accepted,
  ActiveRegistration,
  type Registration,
  type RegistrationSettings,
  registerInstance,
} from "./registration.js";
import { tenantHeaders } from "./tenant-headers.js";

/**
 * Registers the instance, retrying with backoff while no hub answers (up to `registerTimeoutMs`),
 * then hands it to an {@link ActiveRegistration}, which heartbeats in the background.
 * @throws HubClientError UNAVAILABLE (no hub answered in time), ABORTED, CLOSED.
 * @throws ConnectError unchanged when the hub rejected the registration (e.g. `invalid_argument`).
 * @internal
 */
export async function startRegistration(
  settings: RegistrationSettings,
  registration: InstanceRegistration,
  options: ResolvedRegisterOptions,
  onClosed: (registration: Registration) => void,
): Promise<Registration> {
  const { clock } = settings;
  // Ends the registration's heartbeats later; `options.signal` only cancels this first registration.
  const lifetime = new AbortController();
  const signal = AbortSignal.any([
    settings.closing,
    lifetime.signal,
    ...(options.signal ? [options.signal] : []),
  ]);
  const bus = createEventBus(settings.events.emit);
  const headers = tenantHeaders(options.tenant);
  const name = registration.name;
  const stopped = (cause: unknown) =>
    settings.closing.aborted
      ? new HubClientError("CLOSED", "the client was closed", cause)
      : new HubClientError("ABORTED", `registration of ${name} was aborted`, cause);
  const started = clock.now();
  let failures = 0;
  for (;;) {
    let accepted: Accepted;
    try {
      accepted = await registerInstance(settings.pool, registration, undefined, headers, signal);
    } catch (error) {
      if (signal.aborted) throw stopped(error);
      failures++;
      const delay = backoffDelay(failures, settings.backoff, settings.random);
      const retry =
        isHubClientError(error, "UNAVAILABLE") && clock.now() + delay - started <= options.registerTimeoutMs;
      bus.emit({
        type: "register_failed",
        name,
        instanceId: registration.id ?? "",
        error: ConnectError.from(error),
        consecutiveFailures: failures,
        retryInMs: retry ? delay : null,
      });
      if (!retry) throw error;
      try {
        await sleep(clock, delay, signal);
      } catch (aborted) {
        throw stopped(aborted);
      }
      continue;
    }
    const handle = new ActiveRegistration({
      settings,
      registration,
      options,
      accepted,
      bus,
      lifetime,
      onClosed,
    });
    if (settings.closing.aborted) {
      // The client closed while the hub was accepting the instance: take it back out.
      await handle.close();
      throw stopped(undefined);
    }
    return handle;
  }
}
