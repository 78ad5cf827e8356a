// User-facing API first, then the pieces sibling packages build on.
export { createTransportFallbackManager } from "./transport-fallback-manager.js";
export type { ExecuteAttempt, TransportFallbackManager, TransportStatus } from "./transport-fallback-manager.js";
export { builtinTransportNames, defaultTransportFallbackOptions } from "./options.js";
export type {
  BuiltinTransportName,
  CircuitBreakerOptions,
  ExecuteOptions,
  TransportFallbackOptions,
} from "./options.js";
export { idempotentCall, isIdempotent, mayFallBack } from "./retry-safety.js";
export { AllTransportsFailedError } from "./all-transports-failed-error.js";
export type { AllTransportsFailedReason, FailedAttempt } from "./all-transports-failed-error.js";
export { TransportFallbackError } from "./transport-fallback-error.js";
export { connectCodeOf } from "./error-codes.js";
export type { TransportFallbackErrorCode } from "./error-codes.js";
export type { TransportFallbackEvent } from "./events.js";
export type { BreakerState } from "./circuit-breaker.js";
export type { Clock } from "./clock.js";
export { systemClock } from "./clock.js";
export { classifyError } from "./classify-error.js";
export type { Delivery, ErrorClassification, TransportFailureReason } from "./classify-error.js";
