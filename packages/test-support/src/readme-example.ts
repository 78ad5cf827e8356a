import { readFile } from "node:fs/promises";

/**
 * The lines between `// readme:start` and `// readme:end` in the example a test runs, and the
 * same number of lines of the README's first ts block from where the example's first line
 * appears (trimmed), so a test can assert the README shows exactly what it runs.
 */
export async function readmeExampleLines(
  readmeUrl: URL,
  exampleUrl: URL,
): Promise<{ example: string[]; shown: string[] }> {
  const readme = await readFile(readmeUrl, "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  const readmeLines = block.split("\n").map((line) => line.trim());
  const lines = (await readFile(exampleUrl, "utf8")).split("\n");
  const start = lines.findIndex((line) => line.includes("// readme:start"));
  const end = lines.findIndex((line) => line.includes("// readme:end"));
  const example = lines.slice(start + 1, end).map((line) => line.trim());
  const at = readmeLines.indexOf(example[0] ?? "");
  return { example, shown: at < 0 ? [] : readmeLines.slice(at, at + example.length) };
}
