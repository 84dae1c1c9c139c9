/**
 * Token counts the gateway works out itself: for rows whose upstream reported none (flagged as
 * estimates), and for routing decisions on a request's size. Both must cost time linear in the text
 * with a bounded constant, whatever the text: the o200k tokenizer's cost grows with the square of a
 * run without whitespace (80 KB of DNA took 5 s).
 *
 * - `quickTokenCount`: one pass over the characters, no allocation; within about 20% of the
 *   tokenizer on prose, code, JSON, CJK and base64 (calibrated here). Never loads the tokenizer.
 * - `estimateTokens`: the tokenizer's exact count for text up to 16 KiB, fed in pieces whose runs
 *   without whitespace are at most 200 characters (a few ms at most), counted in a worker thread
 *   (token-counter.ts: its load takes ~300 ms); the quick count beyond, or if the worker fails.
 */
import { createTokenCounter } from './token-counter';

const counter = createTokenCounter();

/** Longest text counted exactly. */
const EXACT_LIMIT = 16 * 1024;
/** Longest run without whitespace handed to the tokenizer at once. */
const MAX_RUN = 200;

export async function estimateTokens(text: string): Promise<number> {
  if (!text) return 0;
  if (text.length > EXACT_LIMIT) return quickTokenCount(text);
  try {
    return await counter.count([...pieces(text)]);
  } catch {
    return quickTokenCount(text);
  }
}

/** The text cut after every run of MAX_RUN characters without whitespace. */
function* pieces(text: string): Generator<string> {
  let start = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) run = 0;
    else if (++run >= MAX_RUN) {
      yield text.slice(start, i + 1);
      start = i + 1;
      run = 0;
    }
  }
  if (start < text.length) yield start === 0 ? text : text.slice(start);
}

/**
 * Words of up to 7 letters or digits are one token, longer ones one per 4 characters, and runs past
 * 20 (hashes, base64, DNA) one per 2.1; ASCII punctuation about three quarters of a token each (it
 * merges), CJK 0.8 per character, surrogate pairs (emoji) 1.5, other letters half a token.
 */
export function quickTokenCount(text: string): number {
  let tokens = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      run++;
      continue;
    }
    if (run > 0) {
      tokens += run <= 7 ? 1 : run <= 20 ? Math.ceil(run / 4) : Math.ceil(run / 2.1);
      run = 0;
    }
    if (c === 32 || c === 10 || c === 9 || c === 13) continue;
    if (c < 128) tokens += 0.75;
    else if (c >= 0xd800 && c <= 0xdbff) {
      tokens += 1.5;
      i++;
    } else if (c >= 0x2e80) tokens += 0.8;
    else tokens += 0.5;
  }
  if (run > 0) tokens += run <= 7 ? 1 : run <= 20 ? Math.ceil(run / 4) : Math.ceil(run / 2.1);
  return Math.ceil(tokens);
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
    // A Responses tool result carries its text as `output`.
    else if (typeof item.output === 'string') parts.push(item.output);
    else collect(item.content, parts, depth + 1);
  }
}
