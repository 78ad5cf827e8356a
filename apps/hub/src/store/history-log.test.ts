import { describe, expect, it } from "vitest";
import { HistoryLog } from "./history-log.js";

const batch = (revision: number) => ({ revision, events: [] });

describe("HistoryLog", () => {
  it("starts empty at the revision it is given", () => {
    const log = new HistoryLog(3, 8);
    expect(log.oldestRevision).toBe(8);
    expect(log.newestRevision).toBe(7);
  });

  it("keeps only the last `limit` batches", () => {
    const log = new HistoryLog(3, 1);
    for (let revision = 1; revision <= 5; revision++) log.append(batch(revision));
    expect([log.oldestRevision, log.newestRevision]).toEqual([3, 5]);
    expect([3, 4, 5].map((revision) => log.at(revision).revision)).toEqual([3, 4, 5]);
    expect(() => log.at(2)).toThrow(RangeError);
  });

  it("refuses a gap in revisions", () => {
    const log = new HistoryLog(3, 1);
    expect(() => log.append(batch(2))).toThrow(/expected revision 1/);
  });
});
