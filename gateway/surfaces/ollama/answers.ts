/**
 * Ollama answers on their way to the client, from either kind of deployment: an Ollama's own lines
 * (passed through under the client's model name) or a canonical answer (translated here, with
 * durations measured by the gateway). Also how they are metered and cached.
 */
import type { StreamFormat } from '../../http/stream-writer';
import { keyFields } from '../../routing/cache-policy';
import type { Caching } from '../../routing/router';
import { recordWhole, replay, type OpenedStream } from '../../routing/streams';
import type { RequestUsage } from '../../usage/recorder';
import { chunksFromCompletion, completionFromChunks, completionText, chunkText, tokensOf, type ChatCompletion, type ChatCompletionChunk } from '../../wire/canonical';
import { asClientModel, createOllamaLineWriter, linesFromWhole, ollamaChatResponse, ollamaGenerateResponse, ollamaText, ollamaTokens, wholeFromLines } from './codec';

/** One event of an answer: a line from an Ollama upstream, or a canonical chunk to translate. */
export type OllamaItem = { line: Record<string, unknown> } | { chunk: ChatCompletionChunk };
/** A whole answer: an Ollama upstream's, or a canonical one to translate. */
export type OllamaWhole = { line: Record<string, unknown> } | { completion: ChatCompletion };

type Kind = 'chat' | 'generate';

const lines = (objects: object[]) => objects.map((o) => `${JSON.stringify(o)}\n`).join('');

/** Ollama's NDJSON: one object per line, and a final `done: true` object only for a complete answer. */
export function ndjsonFormat(kind: Kind, model: string, started: bigint, usage: RequestUsage | undefined): StreamFormat<OllamaItem> {
  const writer = createOllamaLineWriter(kind, model);
  const elapsed = () => Number(process.hrtime.bigint() - started);
  let translated = false;
  let firstTokenNs: number | undefined;
  return {
    contentType: 'application/x-ndjson',
    event(item) {
      if ('line' in item) {
        const tokens = ollamaTokens(item.line);
        if (tokens) usage?.reported(tokens);
        usage?.delivered(ollamaText(item.line));
        return lines([asClientModel(item.line, model)]);
      }
      translated = true;
      const tokens = tokensOf(item.chunk.usage);
      if (tokens) usage?.reported(tokens);
      usage?.delivered(chunkText(item.chunk));
      const out = writer.lines(item.chunk);
      if (out.length > 0) firstTokenNs ??= elapsed();
      return lines(out);
    },
    // An Ollama upstream's own final line has gone out already; a translation ends with one made here.
    end: () => (translated ? lines(writer.finish(elapsed(), firstTokenNs ?? elapsed())) : ''),
    error: (failure) => lines([{ error: `The upstream failed after the stream began: ${failure.message}` }]),
  };
}

export function wholeAnswer(kind: Kind, model: string, whole: OllamaWhole, elapsedNs: number, usage: RequestUsage | undefined): Record<string, unknown> {
  if ('line' in whole) {
    const tokens = ollamaTokens(whole.line);
    if (tokens) usage?.reported(tokens);
    usage?.delivered(ollamaText(whole.line));
    usage?.answered();
    return asClientModel(whole.line, model);
  }
  const tokens = tokensOf(whole.completion.usage);
  if (tokens) usage?.reported(tokens);
  usage?.delivered(completionText(whole.completion));
  usage?.answered();
  return kind === 'chat' ? ollamaChatResponse(whole.completion, model, elapsedNs) : ollamaGenerateResponse(whole.completion, model, elapsedNs);
}

/** What is cached: the events of a streamed answer, or a whole one; each can be served as the other. */
interface CachedAnswer {
  items?: OllamaItem[];
  whole?: OllamaWhole;
}

export function answerCache(body: Record<string, unknown>, shape: 'stream'): Caching<OpenedStream<OllamaItem>>;
export function answerCache(body: Record<string, unknown>, shape: 'whole'): Caching<OllamaWhole>;
export function answerCache(body: Record<string, unknown>, shape: 'stream' | 'whole'): Caching<OpenedStream<OllamaItem>> | Caching<OllamaWhole> {
  const options = body.options as { temperature?: unknown } | undefined;
  const base = { key: keyFields(body), repeatable: options?.temperature === 0 };
  if (shape === 'stream') {
    return {
      ...base,
      restore: (payload) => replay(itemsOf(payload as CachedAnswer)),
      keep: (opened, store) => recordWhole(opened, (items) => store({ items } satisfies CachedAnswer)),
    } satisfies Caching<OpenedStream<OllamaItem>>;
  }
  return {
    ...base,
    restore: (payload) => wholeOf(payload as CachedAnswer),
    keep: (whole, store) => {
      store({ whole } satisfies CachedAnswer);
      return whole;
    },
  } satisfies Caching<OllamaWhole>;
}

function itemsOf(answer: CachedAnswer): OllamaItem[] {
  if (answer.items) return answer.items;
  const whole = answer.whole as OllamaWhole;
  return 'line' in whole ? linesFromWhole(whole.line).map((line) => ({ line })) : chunksFromCompletion(whole.completion).map((chunk) => ({ chunk }));
}

function wholeOf(answer: CachedAnswer): OllamaWhole {
  if (answer.whole) return answer.whole;
  const items = answer.items ?? [];
  const first = items[0];
  if (first && 'line' in first) return { line: wholeFromLines(items.map((item) => (item as { line: Record<string, unknown> }).line)) };
  return { completion: completionFromChunks(items.map((item) => (item as { chunk: ChatCompletionChunk }).chunk)) };
}
