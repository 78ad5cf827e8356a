import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { createMemoryStore } from "./memory-store.js";
import { CompactedError } from "./store.js";
import { describeStoreContract } from "./store-contract.js";
import { recordWatch } from "./store-recorder.js";

describeStoreContract("memory", (options) => createMemoryStore(options));

describe("createMemoryStore", () => {
  it("keeps 10,000 revisions of history by default", async () => {
    const store = createMemoryStore({ clock: new FakeClock() });
    await Promise.all(Array.from({ length: 10_001 }, (_, i) => store.put("k", `${i}`)));
    const oldest = recordWatch(store, "", 2);
    await oldest.untilRevision(10_001);
    expect(oldest.batches).toHaveLength(10_000);
    const compacted = recordWatch(store, "", 1);
    await compacted.until((r) => r.errors.length > 0);
    expect(compacted.errors[0]).toBeInstanceOf(CompactedError);
    await store.close();
  });

  it.each([{ historyLimit: 0 }, { historyLimit: 1.5 }, { clock: {} as FakeClock }])(
    "rejects bad options %j",
    (options) => {
      expect(() => createMemoryStore(options)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    },
  );
});
