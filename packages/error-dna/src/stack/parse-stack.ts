/** One call site of a stack trace, as printed. */
export interface StackFrame {
  /** Function name as printed ("Server.handle", "new Pool", ""), without `async` or `[as x]`. */
  readonly fn: string;
  /** File, URL or `node:` module as printed, without line and column; "" when unknown. */
  readonly file: string;
}

// V8: "    at fn (file:1:2)", "    at file:1:2", "    at async fn (file:1:2)".
const V8_FRAME = /^\s*at\s+(?:async\s+)?(.*)$/;
// SpiderMonkey and JavaScriptCore: "fn@file:1:2".
const GECKO_FRAME = /^\s*([^@\s]*)@(.+)$/;
const LINE_COLUMN = /(?::\d+){1,2}$/;

/** Parses the frames of a V8, SpiderMonkey or JavaScriptCore stack; other lines are skipped. */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split("\n")) {
    const v8 = V8_FRAME.exec(line);
    if (v8 !== null) {
      frames.push(parseV8Body((v8[1] ?? "").trim()));
      continue;
    }
    const gecko = GECKO_FRAME.exec(line);
    if (gecko !== null) frames.push({ fn: gecko[1] ?? "", file: stripLineColumn(gecko[2] ?? "") });
  }
  return frames;
}

function parseV8Body(body: string): StackFrame {
  if (body.endsWith(")")) {
    const open = findLocationStart(body);
    if (open > 0) {
      const fn = body
        .slice(0, open)
        .trim()
        .replace(/\s\[as [^\]]+\]$/, "");
      return { fn, file: stripLineColumn(body.slice(open + 1, -1)) };
    }
  }
  return { fn: "", file: stripLineColumn(body) };
}

// The "(" that opens the location: the last one at nesting depth zero, so that
// "eval (eval at f (a.js:1:2), <anonymous>:1:1)" keeps its inner parentheses.
function findLocationStart(body: string): number {
  let depth = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const c = body[i];
    if (c === ")") depth++;
    else if (c === "(") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function stripLineColumn(location: string): string {
  return location.trim().replace(LINE_COLUMN, "");
}
