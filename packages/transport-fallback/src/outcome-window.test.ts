import { describe, expect, it } from "vitest";
import { OutcomeWindow } from "./outcome-window.js";

describe("OutcomeWindow", () => {
  it("counts successes and failures recorded within the window", () => {
    const window = new OutcomeWindow(1_000, 10);
    window.record(0, false);
    window.record(50, true);
    window.record(999, true);
    expect(window.counts(999)).toEqual({ successes: 1, failures: 2 });
  });

  it("drops a bucket once it is a whole window old", () => {
    const window = new OutcomeWindow(1_000, 10);
    window.record(0, true); // bucket [0, 100)
    window.record(150, false); // bucket [100, 200)
    expect(window.counts(999)).toEqual({ successes: 1, failures: 1 });
    expect(window.counts(1_000)).toEqual({ successes: 1, failures: 0 });
    expect(window.counts(1_100)).toEqual({ successes: 0, failures: 0 });
  });

  it("reuses a slot for a new bucket without mixing in the old counts", () => {
    const window = new OutcomeWindow(1_000, 10);
    window.record(10, true);
    window.record(1_010, false); // same slot, one window later
    expect(window.counts(1_010)).toEqual({ successes: 1, failures: 0 });
  });

  it("ignores buckets from the future, e.g. after the clock steps back", () => {
    const window = new OutcomeWindow(1_000, 10);
    window.record(5_000, true);
    expect(window.counts(4_000)).toEqual({ successes: 0, failures: 0 });
  });

  it("forgets everything on clear()", () => {
    const window = new OutcomeWindow(1_000, 10);
    window.record(0, true);
    window.clear();
    expect(window.counts(0)).toEqual({ successes: 0, failures: 0 });
  });
});
