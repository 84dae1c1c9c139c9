/**
 * An embeddings batch sent in pieces an OpenAI-compatible server takes, and answered as one. Ollama
 * embeds any batch; OpenAI refuses more than 2,048 inputs a request ("'$.input' is invalid") and
 * more than 300,000 tokens summed over them ("Requested N tokens, max 300000 tokens per request"),
 * Google's compatibility layer more than 100 inputs ("at most 100 requests can be in one batch").
 * So an indexer written for Ollama's API failed at the cloud once the gateway fell back to it, and
 * so did an OpenAI client's batch of long chunks (LangChain sends 512 a request; of 1,000-token
 * chunks, 512,000 tokens), each only because of how many went in one request.
 *
 * Pieces are cut by count and by the token estimate (usage/tokens.ts), with room for the estimate
 * to be short, and go one after another (the provider's rate limit is the client's, not ours to
 * multiply). A piece a server still finds too large, in any of the words servers say it with, is
 * halved and sent again: at most twice as many requests as inputs, whatever the server's limit.
 */
import { UpstreamError } from '../errors';
import { quickTokenCount } from '../usage/tokens';
import type { CreateEmbeddingResponse, EmbeddingRequest } from '../wire/canonical';

export interface BatchLimits {
  inputs: number;
  /** Summed over a request's inputs, as estimated here. */
  tokens: number;
}

/** OpenAI's limits, under its 300,000 tokens by a fifth: the estimate may be that much short of its count. */
export const OPENAI_BATCH: BatchLimits = { inputs: 2_048, tokens: 240_000 };
export const GOOGLE_BATCH: BatchLimits = { inputs: 100, tokens: 240_000 };

/**
 * A refusal of the batch's size, not of its content: OpenAI's `max_tokens_per_request`, Google's
 * "at most 100 requests can be in one batch", Mistral's "Too many tokens overall, split into more
 * batches" (and earlier "Too many tokens in batch"), Azure's "Too many inputs", Alibaba's "batch
 * size is invalid".
 */
const BATCH_TOO_LARGE = /max_tokens_per_request|tokens per request|requests can be in one batch|split into more batches|too many tokens in batch|too many inputs|batch size is invalid/i;

type Input = string | number[];
type Send = (request: EmbeddingRequest) => Promise<CreateEmbeddingResponse>;

export async function embedInPieces(request: EmbeddingRequest, limits: BatchLimits, send: Send): Promise<CreateEmbeddingResponse> {
  const inputs = batchOf(request.input);
  if (!inputs) return send(request);
  const pieces = piecesOf(inputs, limits);
  // The common case, one piece: the request goes as it came.
  if (pieces.length === 1) return (await sendHalving(request, inputs, 0, inputs.length, send, true)).answer;
  const answers: Piece[] = [];
  for (const [start, end] of pieces) answers.push(...(await sendHalving(request, inputs, start, end, send, false)).pieces);
  return joined(answers);
}

/** The inputs of a batch, or none for one input (a text, or a list of token ids). */
function batchOf(input: EmbeddingRequest['input']): Input[] | undefined {
  if (!Array.isArray(input) || input.length < 2 || typeof input[0] === 'number') return undefined;
  return input as Input[];
}

/** [start, end) ranges in order, each within the limits (an input alone past them is a piece of its own, for the server to judge). */
function piecesOf(inputs: Input[], limits: BatchLimits): [number, number][] {
  // The estimate is under a token a character: a batch of fewer characters needs no count (a long one's takes a while).
  if (inputs.length <= limits.inputs && inputs.reduce((sum, input) => sum + input.length, 0) <= limits.tokens) return [[0, inputs.length]];
  const pieces: [number, number][] = [];
  let start = 0;
  let tokens = 0;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const cost = typeof input === 'string' ? quickTokenCount(input) : input.length;
    if (i > start && (i - start >= limits.inputs || tokens + cost > limits.tokens)) {
      pieces.push([start, i]);
      start = i;
      tokens = 0;
    }
    tokens += cost;
  }
  pieces.push([start, inputs.length]);
  return pieces;
}

interface Piece {
  start: number;
  answer: CreateEmbeddingResponse;
}

/** Sends inputs [start, end), halving the range for as long as the server refuses its size. */
async function sendHalving(request: EmbeddingRequest, inputs: Input[], start: number, end: number, send: Send, whole: boolean): Promise<{ answer: CreateEmbeddingResponse; pieces: Piece[] }> {
  try {
    const answer = await send(whole ? request : { ...request, input: inputs.slice(start, end) as EmbeddingRequest['input'] });
    return { answer, pieces: [{ start, answer }] };
  } catch (error) {
    if (!(error instanceof UpstreamError) || end - start < 2 || !tooLarge(error)) throw error;
    const middle = start + Math.floor((end - start) / 2);
    const pieces = [...(await sendHalving(request, inputs, start, middle, send, false)).pieces, ...(await sendHalving(request, inputs, middle, end, send, false)).pieces];
    return { answer: joined(pieces), pieces };
  }
}

function tooLarge(error: UpstreamError): boolean {
  const said = error.upstreamError;
  return error.status === 400 && said !== undefined && BATCH_TOO_LARGE.test(`${said.code ?? ''} ${said.type ?? ''} ${said.message}`.slice(0, 2_000));
}

/** The pieces' answers as one: vectors numbered from the start of the whole batch, usage summed. */
function joined(pieces: Piece[]): CreateEmbeddingResponse {
  const first = pieces[0]!.answer;
  const data: CreateEmbeddingResponse['data'] = [];
  let prompt = 0;
  let total = 0;
  for (const { start, answer } of pieces) {
    answer.data.forEach((item, at) => data.push({ ...item, index: start + (typeof item.index === 'number' ? item.index : at) }));
    prompt += answer.usage?.prompt_tokens ?? 0;
    total += answer.usage?.total_tokens ?? 0;
  }
  // A server that counts nothing is not made to say 0.
  return pieces.some((piece) => piece.answer.usage) ? { ...first, data, usage: { prompt_tokens: prompt, total_tokens: total } } : { ...first, data };
}
