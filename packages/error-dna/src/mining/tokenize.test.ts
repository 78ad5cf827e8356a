import { describe, expect, it } from "vitest";
import { renderTemplate } from "./template.js";
import { tokenize } from "./tokenize.js";

function masked(message: string): string {
  const tokens = tokenize(message, 200);
  return renderTemplate(
    tokens.map((t) => t.text),
    tokens.map((t) => t.spaced),
  );
}

describe("tokenize", () => {
  it.each([
    ["numbers and signs", "retry 3 of 10 after -250 ms", "retry <*> of <*> after <*>"],
    ["IPv4 with port", "connect ECONNREFUSED 10.0.0.7:5432", "connect ECONNREFUSED <*>"],
    ["host name with port", "upstream api-gateway-2:8443 closed", "upstream <*> closed"],
    ["absolute path", "cannot open /var/lib/app/data.db", "cannot open <*>"],
    ["URL", "GET https://api.example.com/v1/users?id=7 failed", "GET <*> failed"],
    ["UUID", "order 3f2b8c1e-9a4d-4e2f-8b7a-1c2d3e4f5a6b not found", "order <*> not found"],
    ["hex literal", "bad pointer 0xdeadbeef", "bad pointer <*>"],
    ["ISO date and time", "job started 2024-05-01T10:00:00Z", "job started <*>"],
    [
      "weekday, month and time collapse into one value",
      "login at Tue Mar 5 09:12:44 2024 ok",
      "login at <*> ok",
    ],
    ["size units follow their number", "cache holds 5.2 KB of 1.5 GB", "cache holds <*> of <*>"],
    ["key=value keeps the key", "pool exhausted size=20 waiting=113", "pool exhausted size=<*> waiting=<*>"],
    ["a word with one digit group keeps its letters", "link down on eth0", "link down on eth<*>"],
    ["ids with several digit groups are values", "task task_17_0042_m_3 lost", "task <*> lost"],
    ["a sign glued to a number is part of it", "block blk_-42 moved", "block blk_<*> moved"],
    ["empty brackets hold an empty value", "peer () said hello", "peer (<*>) said hello"],
    ["a call keeps its empty brackets", "worker.init() failed", "worker.init() failed"],
    ["a list of values collapses into one", "ask node 1 2 3 4 5 to leave", "ask node <*> to leave"],
    ["e-mail address", "mail to ops@example.org bounced", "mail to <*> bounced"],
  ])("masks %s", (_case, message, template) => {
    expect(masked(message)).toBe(template);
  });

  it("splits punctuation off digit-free words so that values in them can vary", () => {
    expect(tokenize("user=alice denied", 200).map((t) => t.text)).toEqual(["user", "=", "alice", "denied"]);
  });

  it("keeps a closing bracket that belongs to the word", () => {
    expect(tokenize("synced to REMOTE(3), level 2", 200).map((t) => t.raw)).toContain("REMOTE(3)");
  });

  it("folds tokens beyond maxTokens into one value", () => {
    const tokens = tokenize("a b c d e f g h i j", 4);
    expect(tokens.map((t) => t.text)).toEqual(["a", "b", "c", "\u0000"]);
    expect(tokens[3]?.raw).toBe("d e f g h i j");
  });

  it("drops control characters so that input cannot forge a variable marker", () => {
    expect(masked("a\u0000b\u0001c")).toBe("abc");
  });
});
