import * as hdr from "hdr-histogram-js";

/** A latency histogram in microseconds: 1 µs to 60 s, 3 significant digits. */
export function createLatencyHistogram() {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/**
 * The figures every row reports, in microseconds.
 * @param {ReturnType<typeof createLatencyHistogram>} histogram
 */
export function summarize(histogram) {
  const at = (p) => (histogram.totalCount === 0 ? Number.NaN : histogram.getValueAtPercentile(p));
  return {
    count: histogram.totalCount,
    p50Us: at(50),
    p99Us: at(99),
    p999Us: at(99.9),
    maxUs: histogram.totalCount === 0 ? Number.NaN : histogram.maxValue,
    meanUs: histogram.totalCount === 0 ? Number.NaN : histogram.mean,
  };
}
