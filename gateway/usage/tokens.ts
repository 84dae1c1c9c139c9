/**
 * Token estimates for upstreams that report no usage. Only a fallback: every row says whether its
 * counts are the upstream's or estimated here (gpt-tokenizer's o200k encoding, pure JS, offline).
 *
 * The encoder is loaded on first use, not at start: it adds about 70 MiB to the process and most
 * upstreams (OpenAI, Ollama) report their own counts, so most gateways never need it. Loading it
 * takes about 150 ms, once.
 */
import { createRequire } from 'node:module';

type Tokenizer = { countTokens(text: string): number };
let tokenizer: Tokenizer | undefined;

export function estimateTokens(text: string): number {
  if (!text) return 0;
  try {
    tokenizer ??= createRequire(import.meta.url)('gpt-tokenizer') as Tokenizer;
    return tokenizer.countTokens(text);
  } catch {
    return Math.ceil(text.length / 4);
  }
}

/** The text of a chat request's messages, for estimating its input tokens. */
export function promptText(messages: readonly { content?: unknown }[] | undefined): string {
  let text = '';
  for (const message of messages ?? []) {
    const content = message.content;
    if (typeof content === 'string') text += `${content}\n`;
    else if (Array.isArray(content)) for (const part of content) if (part && typeof part.text === 'string') text += `${part.text}\n`;
  }
  return text;
}
