import { describe, expect, it } from "vitest";
import { PatternMiner } from "./pattern-miner.js";

function miner(mergeThreshold = 3): PatternMiner {
  return new PatternMiner({ mergeThreshold, maxTokens: 200, maxCacheEntries: 1000 });
}

function groupAll(messages: readonly string[], m = miner()): string[] {
  const ids = messages.map((message) => m.add(message, "").patternId);
  return ids.map((id) => m.resolve(id) ?? id);
}

describe("PatternMiner", () => {
  it("groups messages that differ only in typed values", () => {
    const m = miner();
    const [a, b, c] = groupAll(
      [
        "timeout after 30 s talking to 10.1.2.3:80",
        "timeout after 45 s talking to 10.1.9.9:8080",
        "timeout after 5 s talking to 192.168.0.1:443",
      ],
      m,
    );
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(m.template(a as string)).toBe("timeout after <*> talking to <*>");
  });

  it("keeps messages with different wording apart", () => {
    const [a, b] = groupAll(["user 7 logged in", "user 7 logged out"]);
    expect(a).not.toBe(b);
  });

  it("turns a position into a variable once mergeThreshold distinct words were seen there", () => {
    const m = miner(3);
    const ids = groupAll(["cache miss for key alpha", "cache miss for key beta"], m);
    expect(ids[0]).not.toBe(ids[1]);
    const after = groupAll(["cache miss for key gamma", "cache miss for key delta"], m);
    expect(new Set([...after, m.resolve(ids[0] as string), m.resolve(ids[1] as string)]).size).toBe(1);
    expect(m.template(after[0] as string)).toBe("cache miss for key <*>");
  });

  it("needs one more distinct word for ALL-CAPS values, which are usually enum constants", () => {
    const ids = groupAll(["state changed to RUNNING", "state changed to STOPPED", "state changed to PAUSED"]);
    expect(new Set(ids).size).toBe(3);
    expect(
      new Set(
        groupAll([
          "state changed to RUNNING",
          "state changed to STOPPED",
          "state changed to PAUSED",
          "state changed to FAILED",
        ]),
      ).size,
    ).toBe(1);
  });

  it("needs one more distinct name for numbered names such as interfaces", () => {
    expect(new Set(groupAll(["link up on alt0", "link up on ee0", "link up on wlan0"])).size).toBe(3);
    expect(new Set(groupAll(["disk sda1 full", "disk sda2 full"])).size).toBe(1);
  });

  it("does not turn the first word into a variable unless it is a compound name", () => {
    expect(
      new Set(groupAll(["start succeeded", "stop succeeded", "reload succeeded", "restart succeeded"])).size,
    ).toBe(4);
    expect(
      new Set(groupAll(["worker.js exited", "server.js exited", "cron.js exited", "queue.js exited"])).size,
    ).toBe(1);
  });

  it("lets a typed value absorb a word with digits at the same position", () => {
    const ids = groupAll(["peer 10.0.0.1 joined, term 4", "peer node7 joined, term 5"]);
    expect(ids[0]).toBe(ids[1]);
  });

  it("never merges across scopes", () => {
    const m = miner();
    const a = m.add("request failed", "TypeError").patternId;
    const b = m.add("request failed", "RangeError").patternId;
    expect(a).not.toBe(b);
  });

  it("gives the same message shape the same fingerprint and pattern id in every process", () => {
    const first = miner().add("disk 3 is 91% full", "");
    const second = miner().add("disk 4 is 97% full", "");
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.patternId).toBe(first.patternId);
  });

  it("reports merges and resolves old ids to the surviving pattern", () => {
    const m = miner();
    const first = m.add("no route to host alpha", "").patternId;
    m.add("no route to host beta", "");
    const third = m.add("no route to host gamma", "");
    expect(third.merges.map((merge) => merge.into)).toContain(first);
    expect(m.resolve(third.patternId)).toBe(first);
    expect(m.size).toBe(1);
  });

  it("forgets a removed pattern and starts a new one for its shape", () => {
    const m = miner();
    const id = m.add("queue full", "").patternId;
    m.remove(id);
    expect(m.resolve(id)).toBeUndefined();
    expect(m.add("queue full", "").patternId).toBe(id);
    expect(m.size).toBe(1);
  });

  it("does not let an evicted pattern's cached shapes leak into a new pattern with its id", () => {
    const m = miner(3);
    const id = groupAll(
      ["cache miss for key alpha", "cache miss for key beta", "cache miss for key gamma"],
      m,
    )[0] as string;
    m.remove(id);
    expect(m.add("cache miss for key alpha", "").patternId).toBe(id);
    expect(m.add("cache miss for key beta", "").patternId).not.toBe(id);
  });
});
