/**
 * Describes a validator's failure in one line, naming each bad field: zod errors and Standard
 * Schema failures carry `issues` with a `path` and a `message` (`quantity: Too small: expected
 * number to be >0`); any other error gives its message.
 * @internal
 */
export function describeValidationError(error: unknown, root = "value"): string {
  const issues = issuesOf(error);
  if (issues.length > 0) {
    return issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : root}: ${issue.message}`)
      .join("; ");
  }
  return error instanceof Error && error.message !== "" ? error.message : `${root} is invalid`;
}

interface Issue {
  readonly path: readonly string[];
  readonly message: string;
}

function issuesOf(error: unknown): Issue[] {
  if (typeof error !== "object" || error === null) return [];
  const issues: unknown = Reflect.get(error, "issues");
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((issue: unknown): Issue[] => {
    if (typeof issue !== "object" || issue === null) return [];
    const message: unknown = Reflect.get(issue, "message");
    const path: unknown = Reflect.get(issue, "path");
    return [
      {
        message: typeof message === "string" ? message : "invalid",
        // Standard Schema allows path segments as { key } objects.
        path: Array.isArray(path) ? path.map((segment: unknown) => String(segmentKey(segment))) : [],
      },
    ];
  });
}

function segmentKey(segment: unknown): unknown {
  return typeof segment === "object" && segment !== null ? Reflect.get(segment, "key") : segment;
}
