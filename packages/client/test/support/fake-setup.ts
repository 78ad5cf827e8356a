import type { HubClientEvent } from "../../src/events.js";
import type { HubClient } from "../../src/hub-client.js";
import { createHubClient } from "../../src/index.js";
import type { NodeHubClientOptions } from "../../src/options.js";
import { FakeClock } from "@hub/test-support";
import { FakeHub, FakeRegistry } from "./fake-hub.js";

/** A client on a fake clock, talking to fake hubs that share one registry. */
export interface FakeSetup {
  readonly clock: FakeClock;
  readonly registry: FakeRegistry;
  /** The hubs, in the order of `hubUrls`. */
  readonly hubs: readonly FakeHub[];
  readonly hub: FakeHub;
  readonly client: HubClient;
  readonly events: HubClientEvent[];
  /** The events of one type, in order. */
  eventsOf<T extends HubClientEvent["type"]>(type: T): Array<Extract<HubClientEvent, { type: T }>>;
}

/**
 * Creates the setup. By default randomness is 0 (no jitter, so delays are exact) and there is one
 * hub at http://hub-a:7000; `hubUrls` in `options` adds more.
 */
export function fakeSetup(options: NodeHubClientOptions = {}): FakeSetup {
  const clock = new FakeClock();
  const registry = new FakeRegistry();
  const urls = options.hubUrls ?? ["http://hub-a:7000"];
  const hubs = urls.map((url) => new FakeHub(url, registry));
  const events: HubClientEvent[] = [];
  const client = createHubClient({
    clock,
    random: () => 0,
    createTransport: (url) => hubs.find((hub) => hub.url === url)!.transport,
    onEvent: (event) => events.push(event),
    ...options,
    hubUrls: urls,
  });
  return {
    clock,
    registry,
    hubs,
    hub: hubs[0]!,
    client,
    events,
    eventsOf: <T extends HubClientEvent["type"]>(type: T) =>
      events.filter((event): event is Extract<HubClientEvent, { type: T }> => event.type === type),
  };
}
