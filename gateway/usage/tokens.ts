/**
 * Token estimates for upstreams that report no usage. Only a fallback: every row says whether its
 * counts are the upstream's or estimated here (gpt-tokenizer's o200k encoding, pure JS, offline).
 *
 * The encoder is loaded on first use, not at start: it adds about 70 MiB to the process and most
 * upstreams (OpenAI, Ollama) report their own counts, so most gateways never need it. Loading it
 * takes about 150 ms, once.
 */
import { lazy } from '../lazy';

const tokenizer = lazy<{ countTokens(text: string): number }>('gpt-tokenizer');

export function estimateTokens(text: string): number {
  if (!text) return 0;
  try {
    return tokenizer().countTokens(text);
  } catch {
    return Math.ceil(text.length / 4);
  }
}

/**
 * The text a request sends the model, whatever its API: `system`, `instructions`, `prompt`,
 * `suffix`, and the text of `messages` and `input` (strings, or parts and items carrying `text` or
 * `content`). One pass over the body, two levels deep at most.
 */
export function promptText(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ['system', 'instructions', 'prompt', 'suffix', 'messages', 'input']) collect(b[key], parts, 0);
  return parts.map((part) => `${part}\n`).join('');
}

function collect(value: unknown, parts: string[], depth: number): void {
  if (typeof value === 'string') {
    parts.push(value);
    return;
  }
  if (depth > 2) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, parts, depth + 1);
    return;
  }
  if (value && typeof value === 'object') {
    const item = value as Record<string, unknown>;
    if (typeof item.text === 'string') parts.push(item.text);
    else collect(item.content, parts, depth + 1);
  }
}
