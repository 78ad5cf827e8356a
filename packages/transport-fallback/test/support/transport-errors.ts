import { Code, ConnectError } from "@connectrpc/connect";

/** A ConnectError as connect-node reports a Node socket error: the Node error is the cause. */
export function nodeFailure(code: string, syscall: string, connectCode: Code): ConnectError {
  const cause = Object.assign(new Error(`${syscall} ${code} 127.0.0.1:1`), { code, syscall });
  return new ConnectError(cause.message, connectCode, undefined, undefined, cause);
}

/** Connection refused: proves the request was not sent. */
export const refused = (): ConnectError => nodeFailure("ECONNREFUSED", "connect", Code.Unavailable);

/** Connection reset mid-call: the request may have been sent. */
export const reset = (): ConnectError => nodeFailure("ECONNRESET", "read", Code.Aborted);

/** The attempt's own deadline fired. */
export const timedOut = (): ConnectError =>
  new ConnectError("the operation timed out", Code.DeadlineExceeded);

/** An error status the server sent in its protocol. */
export function fromServer(code: Code, message = "from the server"): ConnectError {
  const error = new ConnectError(message, code);
  error.isWireError = true;
  return error;
}
