// User-facing API first, then the pieces sibling packages build on.

export type { AllTransportsFailedReason, FailedAttempt } from "./all-transports-failed-error.js";
export { AllTransportsFailedError } from "./all-transports-failed-error.js";
export type { BreakerState } from "./circuit-breaker.js";
export type { Delivery, ErrorClassification, TransportFailureReason } from "./classify-error.js";
export { classifyError } from "./classify-error.js";
export type { Clock } from "./clock.js";
export { systemClock } from "./clock.js";
export type { TransportFallbackErrorCode } from "./error-codes.js";
export { connectCodeOf } from "./error-codes.js";
export type { TransportFallbackEvent } from "./events.js";
export type {
  BuiltinTransportName,
  CircuitBreakerOptions,
  ExecuteOptions,
  TransportFallbackOptions,
} from "./options.js";
export { builtinTransportNames, defaultTransportFallbackOptions } from "./options.js";
export { idempotentCall, isIdempotent, mayFallBack } from "./retry-safety.js";
export { TransportFallbackError } from "./transport-fallback-error.js";
export type {
  ExecuteAttempt,
  TransportFallbackManager,
  TransportStatus,
} from "./transport-fallback-manager.js";
export { createTransportFallbackManager } from "./transport-fallback-manager.js";
