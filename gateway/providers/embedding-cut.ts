/**
 * Inputs cut to a model's window, for a client that lets the server cut what does not fit (Ollama's
 * embed, unless `truncate: false`) when the server is one that refuses it instead: OpenAI answers
 * "This model's maximum context length is 8192 tokens, however you requested 8610 tokens". So an
 * indexer on Ollama's API failed on its long chunks once the cloud answered for its Ollama.
 *
 * Cut by OpenAI's embedding models' own tokenizer (cl100k: text-embedding-3 and ada-002 count in
 * it), in the token counter's worker. The gateway's quick estimate will not do: it reads Hindi at
 * 0.39 of cl100k's count, Arabic 0.60 (o200k counts them in far fewer tokens, and the estimate is
 * made for both). Another server's tokenizer counts otherwise: most count fewer tokens than cl100k
 * outside English, but an older one (a 32,000-word vocabulary, as Mistral's first) a fifth more in
 * it, so another model's input is cut to four fifths of its window.
 */
import { createRequire } from 'node:module';
import { UpstreamError } from '../errors';
import { knownModel } from '../models/facts';
import { namedWindow } from '../refusals';
import { createTokenCounter } from '../usage/token-counter';
import { tokenizerPieces, wholeCharacters } from '../usage/tokens';
import type { EmbeddingRequest } from '../wire/canonical';

const counter = createTokenCounter({ module: createRequire(import.meta.url).resolve('gpt-tokenizer/encoding/cl100k_base') });

/** What is read to find the cut: twice a token's characters in English (code fewer); text of longer tokens (runs of spaces, rules) is cut shorter than it might be. */
const MOST_CHARS_PER_TOKEN = 8;
/** Pieces encoded one at a time, so the count stops near the cut. */
const PIECE_CHARS = 2_000;

/** What is left of a window for a tokenizer not known to be cl100k. */
const OTHER_TOKENIZER = 0.8;

/** The request's texts cut to what `model` reads in `window` tokens. */
export async function cutInputs(request: EmbeddingRequest, window: number, model: string): Promise<EmbeddingRequest> {
  const limit = knownModel(model)?.family === 'text-embedding' ? window : Math.floor(window * OTHER_TOKENIZER);
  const input = request.input;
  if (typeof input === 'string') return { ...request, input: await cutToTokens(input, limit) };
  if (!Array.isArray(input) || !input.every((item) => typeof item === 'string')) return request;
  const cut = await Promise.all((input as string[]).map((text) => cutToTokens(text, limit)));
  return cut.every((text, i) => text === input[i]) ? request : { ...request, input: cut };
}

/**
 * Sent; and where the server refuses an input past a window it names (a model whose window the
 * gateway was not told), sent again once, cut to that window.
 */
export async function withinNamedWindow<T>(request: EmbeddingRequest, model: string, send: (request: EmbeddingRequest) => Promise<T>): Promise<T> {
  try {
    return await send(request);
  } catch (error) {
    const window = error instanceof UpstreamError ? namedWindow(error) : undefined;
    const cut = window === undefined ? request : await cutInputs(request, window, model);
    // Nothing shorter to send: the refusal stands.
    if (cut === request) throw error;
    return send(cut);
  }
}

/** The text's first `limit` tokens, or all of it. */
export async function cutToTokens(text: string, limit: number): Promise<string> {
  // A token is at least a byte of the text's UTF-8: a text of no more bytes fits, uncounted (most do).
  if (text.length <= limit && Buffer.byteLength(text) <= limit) return text;
  const read = text.length > limit * MOST_CHARS_PER_TOKEN ? text.slice(0, limit * MOST_CHARS_PER_TOKEN) : text;
  try {
    return text.slice(0, await counter.prefix(tokenizerPieces(read, PIECE_CHARS), limit));
  } catch {
    // No tokenizer: a character is at most three bytes (two per half of a pair), so a third of the limit fits.
    return wholeCharacters(text.slice(0, Math.floor(limit / 3)));
  }
}
