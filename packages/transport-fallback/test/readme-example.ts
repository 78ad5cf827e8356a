import { createClient } from "@connectrpc/connect";
import { DiscoveryService } from "@hub/proto";
import { createTransportFallbackManager } from "../src/index.js";

/** The README's smallest example; readme.test.ts checks that the README shows exactly these lines. */
export async function readmeExample(hubUrl: string): Promise<string> {
  // readme:start
  const transport = createTransportFallbackManager({ baseUrl: hubUrl });
  const discovery = createClient(DiscoveryService, transport);
  const found = await discovery.discover({ name: "data-bridge" }, { timeoutMs: 2_000 });
  console.log(found.recommendedEndpoint); // over whichever protocol the hub speaks
  transport.close();
  // readme:end
  return found.recommendedEndpoint;
}
