import { createHubClient } from "../src/index.js";

/** The README's smallest example; readme.test.ts checks that the README shows exactly these lines. */
export async function readmeExample(hubUrl: string): Promise<string> {
  // readme:start
  const client = createHubClient({ hubUrls: [hubUrl] });
  await client.register({ name: "data-bridge", host: "127.0.0.1", port: 8001 }); // heartbeats until close()
  const { recommended, staleForMs } = await client.discover("risk-management");
  console.log(recommended.url, staleForMs); // e.g. "http://127.0.0.1:8002 0", from the local cache
  await client.close(); // deregisters data-bridge, ends the watch
  // readme:end
  return recommended.url;
}
