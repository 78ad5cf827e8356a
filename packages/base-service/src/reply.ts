/** Status and headers of a {@link Reply}. */
export interface ReplyInit {
  /** Default: 200 (204 for {@link noContent}). */
  status?: number;
  /** Extra response headers. Default: none. */
  headers?: Readonly<Record<string, string>>;
}

/**
 * What a handler returns when a bare value is not enough: another status, extra headers, or a body
 * outside the envelope. Make one with {@link reply}, {@link rawReply} or {@link noContent}.
 */
export class Reply {
  /** @internal */
  constructor(
    /** `envelope`: `body` is the envelope's `data`; `raw`: `body` is sent as is; `empty`: no body. */
    readonly kind: "envelope" | "raw" | "empty",
    readonly body: unknown,
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
  ) {}
}

/**
 * A success envelope around `data` with a chosen status and headers.
 * @example
 * return reply(order, { status: 201, headers: { location: `/orders/${order.id}` } });
 */
export function reply<T>(data: T, init: ReplyInit = {}): Reply {
  return new Reply("envelope", data, init.status ?? 200, init.headers ?? {});
}

/**
 * A body without the envelope: a string or bytes are sent as they are (set `content-type` in the
 * headers; default `text/plain` or `application/octet-stream`), anything else as JSON.
 */
export function rawReply(body: unknown, init: ReplyInit = {}): Reply {
  return new Reply("raw", body, init.status ?? 200, init.headers ?? {});
}

/** An empty answer, 204 unless told otherwise. */
export function noContent(init: ReplyInit = {}): Reply {
  return new Reply("empty", undefined, init.status ?? 204, init.headers ?? {});
}
