import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type Health,
  type HealthCheckResponse,
  HealthCheckResponse_ServingStatus as Serving,
  HealthCheckResponseSchema,
} from "@hub/proto";
import type { Registry } from "../../registry/registry.js";

/**
 * The standard grpc.health.v1.Health, so Kubernetes probes and gRPC tooling work: the empty
 * service name is the hub itself; a registered service name is SERVING while it has a healthy
 * instance, NOT_SERVING otherwise. Check answers NOT_FOUND for an unknown name; Watch sends
 * SERVICE_UNKNOWN and keeps watching, as the protocol asks.
 */
export function createGrpcHealthImpl(
  registry: Registry,
  hubServing: () => boolean,
): ServiceImpl<typeof Health> {
  const statusOf = (service: string): Serving => {
    if (service === "") return hubServing() ? Serving.SERVING : Serving.NOT_SERVING;
    const entry = registry.view.getService(service);
    if (!entry) return Serving.SERVICE_UNKNOWN;
    return entry.healthy.length > 0 ? Serving.SERVING : Serving.NOT_SERVING;
  };
  const response = (status: Serving): HealthCheckResponse => create(HealthCheckResponseSchema, { status });

  return {
    check(request) {
      const status = statusOf(request.service);
      if (status === Serving.SERVICE_UNKNOWN)
        throw new ConnectError(`unknown service ${request.service}`, Code.NotFound);
      return response(status);
    },
    async *watch(request, ctx) {
      // A flag, not just a wake-up: a change while the consumer is busy must not be missed.
      let dirty = false;
      let wake: (() => void) | undefined;
      const signalChange = () => {
        dirty = true;
        wake?.();
      };
      const unsubscribe = registry.subscribe(signalChange);
      ctx.signal.addEventListener("abort", signalChange);
      try {
        let last = statusOf(request.service);
        yield response(last);
        while (!ctx.signal.aborted) {
          if (!dirty) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = undefined;
            continue;
          }
          dirty = false;
          const status = statusOf(request.service);
          if (status !== last) {
            last = status;
            yield response(status);
          }
        }
      } finally {
        unsubscribe();
        ctx.signal.removeEventListener("abort", signalChange);
      }
    },
  };
}
