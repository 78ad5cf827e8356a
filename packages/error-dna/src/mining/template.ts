import { VARIABLE, WILDCARD } from "./token-types.js";

/** The `<*>` that stands for a variable part in templates. */
export const PLACEHOLDER = "<*>";

/**
 * Renders pattern tokens as a template: variables become `<*>` and tokens are joined with the
 * spacing of the message that founded the pattern.
 */
export function renderTemplate(tokens: readonly string[], spacing: readonly boolean[]): string {
  let out = "";
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (i > 0 && spacing[i] === true) out += " ";
    out += token === WILDCARD ? PLACEHOLDER : token.replaceAll(VARIABLE, PLACEHOLDER);
  }
  return out;
}
