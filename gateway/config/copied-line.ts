/**
 * A value as copied from the line that set it: `OPENAI_API_KEY="sk-..."` from a .env file (whose
 * quotes Docker's --env-file keeps in the value), `export OLLAMA_HOST=localhost:11434` from a shell
 * profile. The value alone: without the spaces around it, the variable's name and the quotes.
 */
export function valueOfCopiedLine(text: string): string {
  const value = text.trim().replace(ASSIGNMENT, '');
  const quoted = /^(["'])(.*)\1$/s.exec(value);
  return quoted ? (quoted[2] as string).trim() : value;
}

/** `OPENAI_API_KEY=` or `export ANTHROPIC_API_KEY = `: a variable's name as .env files and shells write it (no key or URL starts so). */
const ASSIGNMENT = /^(?:export\s+)?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\s*=\s*/;
