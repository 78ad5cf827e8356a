import type { Server } from "node:http";
import type { Clock, TimerHandle } from "@hub/client";
import type { InFlightRequests } from "./in-flight.js";

/** How a {@link closeGracefully} went. */
export interface CloseOutcome {
  /** Requests still running at the deadline, whose connections were closed under them. */
  readonly abandoned: number;
}

/**
 * Closes an HTTP server without dropping the requests it is answering: stops accepting connections,
 * closes the idle keep-alive ones, waits for in-flight requests until `deadlineMs`, then closes
 * whatever is left. Responses sent meanwhile carry `connection: close` (set by the request handler),
 * so clients do not reuse a connection that is about to go.
 * @internal
 */
export async function closeGracefully(
  server: Server,
  inFlight: InFlightRequests,
  deadlineMs: number,
  clock: Clock,
): Promise<CloseOutcome> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: TimerHandle | undefined;
  const deadline = new Promise<"deadline">((resolve) => {
    timer = clock.setTimeout(() => resolve("deadline"), Math.max(0, deadlineMs));
  });
  const outcome = await Promise.race([inFlight.idle().then(() => "idle" as const), deadline]);
  const abandoned = outcome === "deadline" ? inFlight.size : 0;
  if (abandoned > 0) {
    inFlight.abortAll(new Error("the service shut down before the request finished"));
    server.closeAllConnections();
  } else {
    // Connections whose last response finished after close() began are idle now, not closed yet.
    server.closeIdleConnections();
    // A connection that is neither idle nor answering (a request still arriving) gets until the deadline.
    if ((await Promise.race([closed.then(() => "closed" as const), deadline])) === "deadline") {
      server.closeAllConnections();
    }
  }
  if (timer !== undefined) clock.clearTimeout(timer);
  await closed;
  return { abandoned };
}
