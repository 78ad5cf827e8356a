import type { DiscoverJson } from "./http-json.js";
import { requestJson } from "./http-json.js";
import { openClients, transportKinds } from "./transports.js";

/** A discovery answer, whichever API it came through. */
export interface DiscoverView {
  readonly recommendedEndpoint: string;
  readonly allHealthyEndpoints: readonly string[];
  readonly healthyAvailable: boolean;
  readonly confidence: number;
  readonly message: string;
}

/** One way to ask the hub "where is service B?". */
export interface DiscoverFlavor {
  readonly name: string;
  open(baseUrl: string): { discover(name: string): Promise<DiscoverView>; close(): void };
}

/** The plain JSON path plus every Connect-family transport: it.each over this. */
export const discoverFlavors: readonly DiscoverFlavor[] = [
  {
    name: "plain JSON",
    open: (baseUrl) => ({
      async discover(name) {
        const answer = await requestJson<DiscoverJson>(`${baseUrl}/services/discover/${name}`);
        if (answer.status !== 200)
          throw new Error(`discover answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        const body = answer.body;
        return {
          recommendedEndpoint: body.recommended_endpoint,
          allHealthyEndpoints: body.all_healthy_endpoints,
          healthyAvailable: body.healthy_available,
          confidence: body.confidence,
          message: body.message,
        };
      },
      close() {},
    }),
  },
  ...transportKinds.map(
    (kind): DiscoverFlavor => ({
      name: kind.name,
      open: (baseUrl) => {
        const clients = openClients(kind, baseUrl);
        return {
          async discover(name) {
            const answer = await clients.discovery.discover({ name });
            return {
              recommendedEndpoint: answer.recommendedEndpoint,
              allHealthyEndpoints: answer.allHealthyEndpoints,
              healthyAvailable: answer.healthyAvailable,
              confidence: answer.confidence,
              message: answer.message,
            };
          },
          close: clients.close,
        };
      },
    }),
  ),
];
