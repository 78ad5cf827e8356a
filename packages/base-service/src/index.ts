// User-facing API first: the service, its config and options, then the helpers it is built from
// (usable on their own), then the pieces for sibling packages and tests.

export { BaseService, type ServiceAddress, type ServiceState } from "./base-service.js";
export { BaseServiceError, type BaseServiceErrorCode, isBaseServiceError } from "./base-service-error.js";
export type { ConfigSource } from "./config-source.js";
export {
  type Envelope,
  type EnvelopeContext,
  type EnvelopeError,
  type ErrorEnvelope,
  errorEnvelope,
  type SuccessEnvelope,
  successEnvelope,
} from "./envelope.js";
export {
  builtinErrorMapper,
  type ErrorMapper,
  internalErrorMessage,
  toServiceError,
} from "./error-mapping.js";
export { createFileConfigSource } from "./file-config-source.js";
export { createHubConfigSource } from "./hub-config-source.js";
export type {
  DependencyCheck,
  DependencyCheckOptions,
  DependencyCheckOutcome,
  DependencyResult,
  HealthReport,
  HealthStatus,
  SystemResources,
} from "./health/index.js";
export {
  type BaseServiceOptions,
  baseServiceDefaults,
  type FileConfigSourceOptions,
  type HubConfigSourceOptions,
  type HealthCheckConfig,
  type LogLevel,
  type ResolvedServiceConfig,
  type ServiceConfig,
  type ServiceConfigInput,
  type SnakeCaseServiceConfig,
} from "./options.js";
export { createTenantFetch, outgoingHeaders, tenantFetch } from "./outgoing.js";
export { noContent, rawReply, Reply, type ReplyInit, reply } from "./reply.js";
export type { RequestContext } from "./request-context.js";
export type { MountedHandler, RouteHandler } from "./request-pipeline.js";
export { currentTenant, logger, type RequestScope, runWithTenant } from "./request-scope.js";
export { type HttpMethod, httpMethods } from "./router.js";
export {
  httpStatusOf,
  isServiceError,
  ServiceError,
  type ServiceErrorCode,
  type ServiceErrorOptions,
  serviceErrorCodes,
} from "./service-error.js";
export {
  parseTenantHeaders,
  parseTier,
  type ParseTenantOptions,
  readCorrelationId,
  type RequestHeaders,
  subscriptionTiers,
  type TenantContext,
  tenantHeaderNames,
  tenantToHeaders,
} from "./tenant-context.js";

// Validation and security helpers.
export { bearerToken, constantTimeEqual } from "./constant-time.js";
export {
  defaultMaxHeaderLength,
  hasControlCharacters,
  type SanitizeHeaderOptions,
  sanitizeHeaderValue,
} from "./header-sanitizer.js";
export {
  defaultMaxBodyBytes,
  isJsonContentType,
  type ReadBodyOptions,
  type ReadJsonBodyOptions,
  readBody,
  readJsonBody,
} from "./request-body.js";

// Re-exported so a service needs no direct dependency for the types it meets in this API.
export type {
  Clock,
  ConfigScope,
  DiscoverOptions,
  DiscoverResult,
  HubClient,
  Registration,
  SubscriptionTier,
} from "@hub/client";
