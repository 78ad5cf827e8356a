/** The Node.js properties that identify a system or library error. */
export interface NodeErrorProps {
  /** `error.code`, e.g. `"ECONNREFUSED"`, `"ERR_HTTP2_ERROR"`, `"HPE_INVALID_CONSTANT"`. */
  readonly code: string;
  /** `error.syscall`, e.g. `"connect"` or `"getaddrinfo"`, when Node sets it. */
  readonly syscall: string | undefined;
}

/**
 * Walks `reason` and its `cause` chain and returns the Node.js error code of each link that has one,
 * outermost first. Connect wraps socket errors in a ConnectError whose `cause` is the Node error, so
 * the code that says what really happened is usually one or two links down.
 */
export function nodeErrorChain(reason: unknown): NodeErrorProps[] {
  const props: NodeErrorProps[] = [];
  const seen = new Set<unknown>();
  let current = reason;
  // The seen-set guards against a cause that points back at an ancestor.
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = Reflect.get(current, "code");
    if (typeof code === "string") {
      const syscall = Reflect.get(current, "syscall");
      props.push({ code, syscall: typeof syscall === "string" ? syscall : undefined });
    }
    current = current.cause;
  }
  return props;
}
