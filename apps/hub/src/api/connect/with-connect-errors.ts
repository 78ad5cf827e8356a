import type { DescService } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { toConnectError } from "../../errors/hub-error.js";

/**
 * Wraps every method of a service implementation so thrown HubErrors reach the wire with their
 * mapped Connect code, and anything unexpected as Internal without leaking its message.
 */
export function withConnectErrors<S extends DescService>(impl: ServiceImpl<S>): ServiceImpl<S> {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(impl as Record<string, (...args: unknown[]) => unknown>)) {
    wrapped[name] = wrapMethod(method);
  }
  return wrapped as ServiceImpl<S>;
}

function wrapMethod(method: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    try {
      const result = method.apply(this, args);
      if (isAsyncIterable(result)) return rethrowFromIterable(result);
      if (result instanceof Promise)
        return result.catch((error: unknown) => Promise.reject(toConnectError(error)));
      return result;
    } catch (error) {
      throw toConnectError(error);
    }
  };
}

async function* rethrowFromIterable<T>(iterable: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* iterable;
  } catch (error) {
    throw toConnectError(error);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}
