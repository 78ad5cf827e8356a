/** The signals a service stops on: SIGTERM from orchestrators, SIGINT from a terminal's Ctrl-C. */
export const shutdownSignals = ["SIGTERM", "SIGINT"] as const;

/**
 * Calls `onSignal` on SIGTERM and SIGINT. While these listeners are installed Node does not exit
 * on the signal by itself, so `onSignal` decides when. Returns a function that removes them.
 * @internal
 */
export function installSignalHandlers(onSignal: (signal: NodeJS.Signals) => void): () => void {
  const listener = (signal: NodeJS.Signals) => onSignal(signal);
  for (const signal of shutdownSignals) process.on(signal, listener);
  return () => {
    for (const signal of shutdownSignals) process.off(signal, listener);
  };
}
