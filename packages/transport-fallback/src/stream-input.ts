import type { DescMethod } from "@bufbuild/protobuf";

/** A streaming call's request messages, handed to one attempt after another. @internal */
export interface StreamInput<T> {
  /** The input for the next attempt. */
  next(): AsyncIterable<T>;
  /** Whether another attempt could still send the complete input. */
  canReplay(): boolean;
}

/**
 * Makes a stream's input safe to hand to several attempts. A server-streaming call has exactly one
 * request message, so it is buffered and replayed. Client- and bidi-streaming input is produced
 * lazily and can be read only once, so a later attempt is possible only while no attempt has read
 * from it yet.
 * @internal
 */
export async function prepareStreamInput<T>(
  kind: DescMethod["methodKind"],
  input: AsyncIterable<T>,
): Promise<StreamInput<T>> {
  if (kind === "server_streaming") {
    const messages: T[] = [];
    for await (const message of input) messages.push(message);
    return { next: () => replay(messages), canReplay: () => true };
  }
  return readOnce(input);
}

async function* replay<T>(messages: readonly T[]): AsyncGenerator<T> {
  yield* messages;
}

function readOnce<T>(input: AsyncIterable<T>): StreamInput<T> {
  let source: AsyncIterator<T> | undefined;
  let touched = false;
  const open = (): AsyncIterator<T> => {
    source ??= input[Symbol.asyncIterator]();
    return source;
  };
  const view = (): AsyncIterator<T> => ({
    next: () => {
      touched = true;
      return open().next();
    },
    // A failed attempt's transport may close its input; while nothing was read, that close must not
    // reach the source (an async generator closed before its first read yields nothing ever after).
    return: async (value?: unknown) => {
      if (!touched) return { done: true, value: undefined };
      return (await open().return?.(value)) ?? { done: true, value: undefined };
    },
    throw: async (error?: unknown) => {
      touched = true;
      const iterator = open();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
  });
  return {
    next: () => ({ [Symbol.asyncIterator]: view }),
    canReplay: () => !touched,
  };
}
