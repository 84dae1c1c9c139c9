/**
 * Token counts the gateway works out itself: for rows whose upstream reported none (flagged as
 * estimates), and for routing decisions on a request's size. Both must cost time linear in the text
 * with a bounded constant, whatever the text: the o200k tokenizer's cost grows with the square of a
 * run without whitespace (80 KB of DNA took 5 s).
 *
 * - `quickTokenCount`: one pass over the characters, no allocation; within about 20% of the
 *   tokenizer on prose, code, JSON, CSV, logs, CJK and base64 (test/usage/quick-count.test.ts).
 *   Never loads the tokenizer.
 * - `estimateTokens`: the tokenizer's exact count for text up to 16 KiB, fed in pieces whose runs
 *   without whitespace are at most 200 characters (a few ms at most), counted in a worker thread
 *   (token-counter.ts: its load takes ~300 ms); the quick count beyond, or if the worker fails.
 */
import { isUpstreamError } from '../errors';
import { imageTokens, LOW_DETAIL_TOKENS } from './image-size';
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
    return await counter.count(tokenizerPieces(text));
  } catch {
    return quickTokenCount(text);
  }
}

/**
 * The text in pieces for the tokenizer, each starting where it would start a token anyway: after
 * every run of MAX_RUN characters without whitespace (its time grows with a run's square), never
 * between the halves of a pair; and, given `pieceChars`, at the first whitespace past that many
 * characters, so a count that stops part way reads little more than it needs.
 */
export function tokenizerPieces(text: string, pieceChars = Number.POSITIVE_INFINITY): string[] {
  const pieces: string[] = [];
  let start = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13;
    if (space && i - start >= pieceChars) {
      pieces.push(text.slice(start, i));
      start = i;
    }
    run = space ? 0 : run + 1;
    if (run >= MAX_RUN) {
      const piece = wholeCharacters(text.slice(start, i + 1));
      pieces.push(piece);
      start += piece.length;
      run = 0;
    }
  }
  if (start < text.length) pieces.push(start === 0 ? text : text.slice(start));
  return pieces;
}

/** Without a last high surrogate, whose pair a cut parted. */
export function wholeCharacters(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}

/**
 * Words of up to 7 letters are one token, longer ones one per 5 characters (English words of 9 to 12
 * letters are 1.3 tokens on average to OpenAI's tokenizers: one per 4 read legal prose at 1.23 of
 * the count, where it now reads 1.16 at most, prose at 0.97 to 1.04); numbers one per 3 digits,
 * apart from the letters beside them (tokenizers split digits from letters, and numbers in groups of
 * three: a CSV or a log counted as words read 0.6 to 0.7 of the tokens); runs past 20 letters and
 * digits (hashes, base64, DNA) one per 2.1. ASCII punctuation about three quarters of a token each
 * (it merges), CJK 0.8 per character, surrogate pairs (emoji) 1.5, other letters half a token.
 */
export function quickTokenCount(text: string): number {
  let tokens = 0;
  // A run of letters and digits, and within it the tokens of its groups before the current one.
  let run = 0;
  let groups = 0;
  let group = 0;
  let digits = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    if (digit || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (group > 0 && digit !== digits) {
        groups += groupTokens(group, digits);
        group = 0;
      }
      digits = digit;
      group++;
      run++;
      continue;
    }
    if (run > 0) {
      tokens += run > 20 ? Math.ceil(run / 2.1) : groups + groupTokens(group, digits);
      run = groups = group = 0;
    }
    if (c === 32 || c === 10 || c === 9 || c === 13) continue;
    if (c < 128) tokens += 0.75;
    else if (c >= 0xd800 && c <= 0xdbff) {
      tokens += 1.5;
      i++;
    } else if (c >= 0x2e80) tokens += 0.8;
    else tokens += 0.5;
  }
  if (run > 0) tokens += run > 20 ? Math.ceil(run / 2.1) : groups + groupTokens(group, digits);
  return Math.ceil(tokens);
}

const groupTokens = (length: number, digits: boolean): number => (digits ? Math.ceil(length / 3) : length <= 7 ? 1 : Math.ceil(length / 5));

/**
 * An upstream's own count of a request's tokens, or the estimate where it cannot give one (the
 * Messages and Responses APIs' counts): a count is advice, not an answer, so a server without the
 * endpoint (a 404), its own limits (a 429) or its failure leave the estimate in its place, and,
 * caught inside the attempt, say nothing to the breaker. A request it refuses as such (a 400) is
 * still the client's to see, and one whose client left is not counted.
 */
export async function countedOr<T>(count: () => Promise<T>, estimate: () => Promise<T>): Promise<T> {
  try {
    return await count();
  } catch (error) {
    if (isUpstreamError(error) && error.failure !== 'client_closed' && error.failure !== 'upstream_4xx') return estimate();
    throw error;
  }
}

/** The parts and blocks that carry an image: chat's, Responses', Messages'. */
export const IMAGE_PARTS: ReadonlySet<unknown> = new Set(['image_url', 'input_image', 'image']);

export interface Prompt {
  text: string;
  /** Tokens counted without reading text: its images' (image-size.ts), and the ids of a /api/generate `context`. */
  countedTokens: number;
}

/**
 * What a request sends the model, whatever its API: the text of `system`, `instructions`, `prompt`,
 * `suffix`, and under `messages` and `input` every string of a message's content, as a string or as
 * the parts and blocks agents send (text, tool results, tool calls' arguments and inputs, thinking,
 * plain-text documents) and of Responses items; and what the images it carries count (parts,
 * blocks, Ollama's `images` in a message or beside a prompt).
 */
export function promptOf(body: unknown): Prompt {
  const prompt = { parts: [] as string[], countedTokens: 0 };
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const key of ['system', 'instructions', 'prompt', 'suffix', 'messages', 'input']) collect(b[key], prompt);
    // Ollama's /api/generate sends its images beside the prompt, and the conversation before as
    // `context`: the token ids its model's last answer returned.
    prompt.countedTokens += imagesTokens(b.images) + (Array.isArray(b.context) ? b.context.length : 0);
  }
  return { text: prompt.parts.map((part) => `${part}\n`).join(''), countedTokens: prompt.countedTokens };
}

/** A prompt's size in tokens in one pass over its text (the router's). */
export const quickPromptTokens = (prompt: Prompt): number => quickTokenCount(prompt.text) + prompt.countedTokens;

/** A prompt's size in tokens, exact for short text (a count or a usage row's). */
export const estimatePromptTokens = async (prompt: Prompt): Promise<number> => (await estimateTokens(prompt.text)) + prompt.countedTokens;

/**
 * Strings that are no text the model reads: kinds, roles and ids, signatures and encrypted state it
 * is handed back opaque, and audio and files (their base64 is not their tokens).
 */
const NOT_TEXT = new Set(['type', 'role', 'id', 'call_id', 'tool_call_id', 'tool_use_id', 'signature', 'encrypted_content', 'data', 'url', 'file_id', 'file_data', 'media_type', 'detail', 'cache_control', 'status']);

/** Every string under `value` but NOT_TEXT's, and the images: iterative, so linear in the body whatever its depth. */
function collect(value: unknown, prompt: { parts: string[]; countedTokens: number }): void {
  const stack = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') prompt.parts.push(next);
    else if (Array.isArray(next)) for (const item of next) stack.push(item);
    else if (next && typeof next === 'object') {
      const item = next as Record<string, unknown>;
      if (IMAGE_PARTS.has(item.type)) {
        prompt.countedTokens += partTokens(item);
        continue;
      }
      for (const key in item) {
        if (key === 'images') prompt.countedTokens += imagesTokens(item.images);
        // A document's plain text (`source: {type: "text", data}`) is the one `data` that is text.
        else if (!NOT_TEXT.has(key) || (key === 'data' && item.type === 'text')) stack.push(item[key]);
      }
    }
  }
}

/** An image part's tokens: chat's `image_url` (a URL or `{url, detail}`), Responses' `input_image`, a Messages `image` block's source. */
function partTokens(part: Record<string, unknown>): number {
  const chat = part.image_url as { url?: unknown; detail?: unknown } | string | undefined;
  const detail = typeof chat === 'object' && chat ? chat.detail : part.detail;
  // OpenAI reads an image at low detail as its base 85 tokens, whatever its size.
  if (detail === 'low') return LOW_DETAIL_TOKENS;
  const source = part.source as { type?: unknown; data?: unknown } | undefined;
  return imageTokens(typeof chat === 'object' && chat ? chat.url : chat ?? (source?.type === 'base64' ? source.data : undefined));
}

/** Ollama's `images`: base64, one per image. */
function imagesTokens(images: unknown): number {
  let tokens = 0;
  if (Array.isArray(images)) for (const image of images) tokens += imageTokens(image);
  return tokens;
}
