/**
 * Extra facts about an error that the error object may not carry, passed to `analyze`.
 * Every other key is kept with the pattern's samples.
 */
export interface ErrorContext {
  /** An error code such as "ECONNREFUSED", "SQLITE_BUSY" or "23505". */
  readonly code?: string | number;
  /** An HTTP status of the failed call. */
  readonly status?: number;
  readonly [key: string]: unknown;
}

/** What analysis needs from any thrown value or log message. */
export interface ErrorFacts {
  /** Error type name ("TypeError"); undefined for a plain message. */
  readonly name: string | undefined;
  readonly message: string;
  readonly code: string | undefined;
  readonly status: number | undefined;
  /** The stack text, when there is one. */
  readonly stack: string | undefined;
}

// "TypeError: x", "Error: x", "java.io.IOException: x" at the start of a logged error.
const ERROR_HEADER = /^((?:[\w$]+\.)*[A-Z][\w$]*(?:Error|Exception)|Error)(?::\s*|$)([\s\S]*)$/;
const FRAME_LINE = /^\s+at\s/m;
const STATUS_IN_MESSAGE = /\b(?:status(?:\s*code)?|HTTP\/\d(?:\.\d)?)[\s:=]+([1-5]\d\d)\b/i;

/**
 * Reads name, message, code, status and stack from an Error, an error-like object or a string.
 * A string that holds a printed stack ("Error: boom\n    at f (a.js:1:2)") is split into
 * message and frames; the context's code and status fill in what the error lacks.
 */
export function errorFacts(input: unknown, context: ErrorContext | undefined): ErrorFacts {
  const base = typeof input === "string" ? fromText(input) : fromObject(input);
  const code = base.code ?? stringCode(context?.code);
  const status = base.status ?? httpStatus(context?.status) ?? statusInMessage(base.message);
  return { ...base, code, status };
}

function fromText(text: string): ErrorFacts {
  const frameAt = text.search(FRAME_LINE);
  const head = frameAt < 0 ? text : text.slice(0, frameAt).trimEnd();
  const stack = frameAt < 0 ? undefined : text.slice(frameAt);
  const header = stack === undefined ? null : ERROR_HEADER.exec(head);
  if (header !== null)
    return { name: header[1], message: header[2] ?? "", code: undefined, status: undefined, stack };
  return { name: undefined, message: head, code: undefined, status: undefined, stack };
}

function fromObject(input: unknown): ErrorFacts {
  if (typeof input !== "object" || input === null) {
    return { name: undefined, message: String(input), code: undefined, status: undefined, stack: undefined };
  }
  const record = input as Record<string, unknown>;
  const message = typeof record.message === "string" ? record.message : safeJson(input);
  const name = typeof record.name === "string" && record.name !== "" ? record.name : constructorName(input);
  const cause =
    typeof record.cause === "object" && record.cause !== null
      ? (record.cause as Record<string, unknown>)
      : undefined;
  const response =
    typeof record.response === "object" && record.response !== null
      ? (record.response as Record<string, unknown>)
      : undefined;
  return {
    name,
    message,
    code: stringCode(record.code) ?? stringCode(cause?.code),
    status: httpStatus(record.status) ?? httpStatus(record.statusCode) ?? httpStatus(response?.status),
    stack: typeof record.stack === "string" ? record.stack : undefined,
  };
}

function constructorName(input: object): string | undefined {
  const name = (input as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "Object" ? name : undefined;
}

function stringCode(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function httpStatus(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599
    ? value
    : undefined;
}

function statusInMessage(message: string): number | undefined {
  const match = STATUS_IN_MESSAGE.exec(message);
  return match === null ? undefined : Number(match[1]);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Cyclic or BigInt-holding objects cannot be serialized; their tag is still a usable message.
    return String(value);
  }
}
