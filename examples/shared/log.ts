/** Fields of one log line; `msg` is what tests and operators match on. */
export interface LogFields {
  msg: string;
  [key: string]: unknown;
}

/**
 * Writes one JSON line to stdout. The test helpers parse these lines (for example the
 * `{"msg":"listening","port":N}` line), so the format is part of how the examples are driven.
 */
export function log(fields: LogFields): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
}
