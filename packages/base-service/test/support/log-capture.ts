import { Writable } from "node:stream";
import { type Logger, pino } from "pino";

/** One parsed log line. */
export type LogLine = Record<string, unknown> & { msg?: string; level: number };

/** A pino logger whose lines are kept, parsed, for assertions (pino's own tests do the same). */
export interface CapturedLogs {
  readonly logger: Logger;
  readonly lines: LogLine[];
  /** Lines whose `msg` is `msg`. */
  withMsg(msg: string): LogLine[];
}

/** Creates a {@link CapturedLogs} at `level` (default debug, so request lines of internal routes show too). */
export function captureLogs(level: pino.Level = "debug"): CapturedLogs {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString("utf8").split("\n")) {
        if (text.trim() !== "") lines.push(JSON.parse(text) as LogLine);
      }
      callback();
    },
  });
  const logger = pino({ level }, stream);
  return { logger, lines, withMsg: (msg) => lines.filter((line) => line.msg === msg) };
}
