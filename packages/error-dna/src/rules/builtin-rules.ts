import type { SuggestionRule } from "./suggestion-rule.js";

/**
 * The built-in catalog. Specific rules (codes, statuses, names, message patterns) come first and
 * decide the category; category rules at the end add generic advice for every error of a kind.
 */
export const builtinRules: readonly SuggestionRule[] = [
  {
    id: "connection-refused",
    match: { codes: ["ECONNREFUSED"] },
    category: "network",
    severity: "high",
    actions: [
      "Check that the target service is running and listening on the host and port in the message",
      "Verify the configured host and port (service discovery, env vars) point at the right instance",
    ],
  },
  {
    id: "connection-reset",
    match: { codes: ["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET"] },
    category: "network",
    actions: [
      "The peer closed the connection: check its logs for crashes, restarts or idle-timeout limits",
      "Align keep-alive timeouts so the client never reuses a socket the server already closed",
    ],
  },
  {
    id: "host-unreachable",
    match: { codes: ["EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN"] },
    category: "network",
    actions: ["Check routing, firewall rules and security groups between this service and the host"],
  },
  {
    id: "dns-failure",
    match: { codes: ["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL"] },
    category: "network",
    actions: [
      "Check the hostname for typos and that it resolves from this host (DNS, /etc/hosts, service discovery)",
      "EAI_AGAIN is a temporary DNS failure: retry with backoff and check the resolver's health",
    ],
  },
  {
    id: "tls-certificate",
    match: {
      codes: [
        "CERT_HAS_EXPIRED",
        "DEPTH_ZERO_SELF_SIGNED_CERT",
        "SELF_SIGNED_CERT_IN_CHAIN",
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        "ERR_TLS_CERT_ALTNAME_INVALID",
      ],
    },
    category: "configuration",
    severity: "high",
    actions: [
      "Renew or fix the TLS certificate, or trust its CA explicitly (never disable verification in production)",
    ],
  },
  {
    id: "timed-out",
    match: {
      codes: [
        "ETIMEDOUT",
        "ESOCKETTIMEDOUT",
        "UND_ERR_CONNECT_TIMEOUT",
        "UND_ERR_HEADERS_TIMEOUT",
        "UND_ERR_BODY_TIMEOUT",
      ],
    },
    category: "timeout",
    actions: [
      "Find out whether the callee is slow or unreachable: check its latency and saturation",
      "Set an explicit timeout per call and retry idempotent calls with exponential backoff and jitter",
    ],
  },
  {
    id: "timeout-name",
    match: { names: ["TimeoutError"] },
    category: "timeout",
    actions: ["Check the slow operation and whether its timeout budget fits the callee's latency"],
  },
  {
    id: "timeout-status",
    match: { statuses: [408, 504] },
    category: "timeout",
    actions: ["An upstream or gateway timed out: check the slow dependency and the proxy's timeout settings"],
  },
  {
    id: "timeout-message",
    match: { pattern: /\btim(?:e|ed)[\s_-]?out\b|\btimeout\b|deadline exceeded/i },
    category: "timeout",
    actions: ["Check the slow operation and its timeout budget; retry idempotent work with backoff"],
  },
  {
    id: "sqlite-busy",
    match: { codes: ["SQLITE_BUSY", "SQLITE_LOCKED"] },
    category: "database",
    severity: "high",
    actions: [
      "Enable WAL mode (journal_mode=WAL) and set a busy_timeout so writers wait instead of failing",
      "Keep write transactions short and funnel writes through one connection",
    ],
  },
  {
    id: "deadlock",
    match: { codes: ["40P01", "ER_LOCK_DEADLOCK", "40001"] },
    category: "database",
    actions: ["Retry the transaction, and take locks in the same order everywhere to avoid the cycle"],
  },
  {
    id: "unique-violation",
    match: {
      codes: ["23505", "ER_DUP_ENTRY", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "11000"],
    },
    category: "database",
    severity: "medium",
    actions: ["A duplicate key was inserted: make the write idempotent (upsert) or check for the row first"],
  },
  {
    id: "too-many-db-connections",
    match: { codes: ["53300", "ER_CON_COUNT_ERROR"] },
    category: "resource_exhausted",
    actions: ["The database is out of connections: lower pool sizes per instance or add a connection pooler"],
  },
  {
    id: "database-message",
    match: {
      pattern:
        /\b(?:SQLITE_\w+|deadlock|duplicate key|relation "[^"]*" does not exist|database is locked|connection pool|sql(?:state)?|postgres|mysql|mongo\w*)\b/i,
    },
    category: "database",
    actions: [
      "Check the database's health, the query and its locks; look at the database server logs for the same time",
    ],
  },
  {
    id: "unauthenticated",
    match: { statuses: [401] },
    category: "auth",
    actions: [
      "Check that credentials or tokens are present and not expired; refresh tokens before they expire",
      "Verify the client uses the right secret or key for this environment",
    ],
  },
  {
    id: "forbidden",
    match: { statuses: [403] },
    category: "auth",
    actions: ["The caller is authenticated but not allowed: check its roles, scopes and resource policies"],
  },
  {
    id: "auth-message",
    match: {
      pattern:
        /\bunauthori[sz]ed\b|\bforbidden\b|invalid (?:token|credentials|signature)|jwt (?:expired|malformed)|token expired|authentication failed|permission denied for/i,
    },
    category: "auth",
    actions: ["Check the credentials, token expiry and permissions of the caller"],
  },
  {
    id: "rate-limited",
    match: { statuses: [429] },
    category: "resource_exhausted",
    severity: "high",
    actions: [
      "Back off and honour the Retry-After header; retry with exponential backoff and jitter",
      "Throttle or batch calls on the client side and check the quota of this API key",
    ],
  },
  {
    id: "out-of-memory",
    match: { codes: ["ENOMEM", "ERR_MEMORY_ALLOCATION_FAILED"] },
    category: "resource_exhausted",
    severity: "critical",
    actions: [
      "Take a heap snapshot to find what grows; look for unbounded caches and buffers",
      "Raise the memory limit (--max-old-space-size, container limit) only after finding the growth",
    ],
  },
  {
    id: "heap-exhausted-message",
    match: { pattern: /heap out of memory|allocation failed|out of memory/i },
    category: "resource_exhausted",
    severity: "critical",
    actions: ["Take a heap snapshot to find what grows; look for unbounded caches and buffers"],
  },
  {
    id: "file-descriptors",
    match: { codes: ["EMFILE", "ENFILE"] },
    category: "resource_exhausted",
    severity: "critical",
    actions: [
      "Too many open files: close streams and sockets, reuse connections (keep-alive agents), raise ulimit -n",
    ],
  },
  {
    id: "disk-full",
    match: { codes: ["ENOSPC", "EDQUOT", "SQLITE_FULL"] },
    category: "resource_exhausted",
    severity: "critical",
    actions: ["Free disk space (logs, temp files) and add an alert on disk usage"],
  },
  {
    id: "quota-message",
    match: { pattern: /rate limit|too many requests|quota exceeded|resource exhausted/i },
    category: "resource_exhausted",
    actions: ["Back off and retry later; check the quota and throttle callers"],
  },
  {
    id: "upstream-unavailable",
    match: { statuses: [500, 502, 503] },
    category: "dependency",
    actions: [
      "The upstream service failed: check its health and logs at the same time",
      "Protect the call with a circuit breaker and a fallback so the failure does not cascade",
    ],
  },
  {
    id: "missing-module",
    match: { codes: ["MODULE_NOT_FOUND", "ERR_MODULE_NOT_FOUND", "ERR_PACKAGE_PATH_NOT_EXPORTED"] },
    category: "dependency",
    severity: "critical",
    actions: [
      "A package or file is missing from the deploy: check the lockfile install and the build output",
    ],
  },
  {
    id: "upstream-message",
    match: { pattern: /service unavailable|bad gateway|upstream|circuit (?:breaker )?(?:is )?open/i },
    category: "dependency",
    actions: ["Check the health of the upstream service; fail fast with a circuit breaker"],
  },
  {
    id: "address-in-use",
    match: { codes: ["EADDRINUSE"] },
    category: "configuration",
    severity: "critical",
    actions: ["Another process holds the port: stop it or configure a different port"],
  },
  {
    id: "file-permissions",
    match: { codes: ["EACCES", "EPERM"] },
    category: "configuration",
    actions: [
      "Check file and port permissions for the user the service runs as (ports below 1024 need privileges)",
    ],
  },
  {
    id: "file-not-found",
    match: { codes: ["ENOENT", "ENOTDIR", "EISDIR"] },
    category: "configuration",
    actions: ["A path does not exist: check configured paths and that the file is part of the deploy"],
  },
  {
    id: "configuration-message",
    match: {
      pattern:
        /missing (?:required )?(?:env(?:ironment)? var(?:iable)?|config(?:uration)?|setting)|not configured|invalid config(?:uration)?|is not defined in (?:the )?env/i,
    },
    category: "configuration",
    actions: ["Check the service's configuration and environment variables for this environment"],
  },
  {
    id: "validation-status",
    match: { statuses: [400, 409, 422] },
    category: "validation",
    actions: ["The request was rejected as invalid: log the offending field and fix the caller"],
  },
  {
    id: "validation-name",
    match: { names: ["ZodError", "ValidationError", "ValiError", "SyntaxError"] },
    category: "validation",
    actions: ["Validate input at the boundary and return which field is wrong"],
  },
  {
    id: "validation-message",
    match: {
      pattern:
        /\binvalid\b|validation|must be|is required|malformed|unexpected token|not a valid|out of range/i,
    },
    category: "validation",
    severity: "low",
    actions: ["Validate input at the boundary and return which field is wrong"],
  },
  {
    id: "network-advice",
    match: { category: "network" },
    actions: [
      "Retry idempotent calls with exponential backoff and protect the dependency with a circuit breaker",
    ],
  },
  {
    id: "timeout-advice",
    match: { category: "timeout" },
    actions: ["Propagate a deadline (AbortSignal) so work stops when the caller gives up"],
  },
  {
    id: "database-advice",
    match: { category: "database" },
    actions: ["Check the database's health, slow queries and connection pool usage"],
  },
  {
    id: "resource-advice",
    match: { category: "resource_exhausted" },
    actions: ["Add an alert on this resource's usage and shed load before it runs out"],
  },
  {
    id: "dependency-advice",
    match: { category: "dependency" },
    actions: ["Degrade gracefully: serve cached or partial results while the dependency is down"],
  },
  {
    id: "unknown-advice",
    match: { category: "unknown" },
    actions: [
      "Look at the newest samples and the stack's first app frame; add a rule once the cause is known",
    ],
  },
];
