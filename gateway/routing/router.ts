/**
 * The router: model name in, an answer from the first deployment that gives one out. It plans
 * against the current catalog, runs the fallback loop, and reports every attempt to its observers.
 */
import type { CancelSignal } from '../cancel';
import { UpstreamError } from '../errors';
import type { OllamaGenerateBody } from '../wire/ollama';
import { chatFromGenerate, type NativeOllama } from '../wire/ollama-inbound';
import {
  chunksFromCompletion,
  completionFromChunks,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatRequest,
  type CreateEmbeddingResponse,
  type EmbeddingRequest,
} from '../wire/openai';
import type { ResponseCache } from '../store/response-cache';
import { cacheDecision, type CacheKind } from './cache-policy';
import type { BreakerBoard } from './breaker-board';
import type { Catalog } from './catalog';
import { execute, ExecutionError, type Attempt, type AttemptFn, type Execution, type Track } from './execute';
import { plan, type ModelType } from './plan';

export interface RouteOptions {
  prefer?: string | undefined;
  /** Aborted when the client disconnects. */
  signal: CancelSignal;
  /** Ollama-native settings from the Ollama-compatible API, for Ollama upstreams. */
  native?: NativeOllama | undefined;
  /** The client's Cache-Control header. */
  cacheControl?: string | undefined;
  /** Deployments to treat as failed for this request only, without calling them (the playground's rehearsal). */
  simulateFailures?: ReadonlySet<string> | undefined;
}

/** A stream whose first chunk has arrived: from here on the deployment is committed. */
export interface OpenedStream {
  first: ChatCompletionChunk;
  rest: AsyncIterator<ChatCompletionChunk>;
}

export interface Router {
  chat(request: ChatRequest, options: RouteOptions): Promise<Execution<ChatCompletion>>;
  chatStream(request: ChatRequest, options: RouteOptions): Promise<Execution<OpenedStream>>;
  embed(request: EmbeddingRequest, options: RouteOptions): Promise<Execution<CreateEmbeddingResponse>>;
  /** Ollama's `/api/generate`: native on Ollama upstreams, through chat elsewhere. */
  generate(request: OllamaGenerateBody, options: RouteOptions): Promise<Execution<ChatCompletion>>;
  generateStream(request: OllamaGenerateBody, options: RouteOptions): Promise<Execution<OpenedStream>>;
}

export interface RouterDeps {
  catalog: () => Catalog;
  breakers: BreakerBoard;
  cache?: ResponseCache;
  /** The desktop app's "local only" switch: no routing to non-local providers while on. */
  localOnly?: () => boolean;
  now?: () => number;
  random?: () => number;
  onAttempts?: (attempts: readonly Attempt[]) => void;
}

/** What the cache keeps of an answer: a completion (with the chunks, when it streamed) or embeddings. */
interface CachedAnswer {
  completion?: ChatCompletion;
  chunks?: ChatCompletionChunk[];
  embedding?: CreateEmbeddingResponse;
}

/** How one kind of call is cached: its key material, how to serve a hit, how to keep a fresh answer. */
interface CacheSpec<T> {
  kind: CacheKind;
  body: Record<string, unknown>;
  restore(answer: CachedAnswer): T;
  keep(value: T, store: (answer: CachedAnswer) => void): T;
}

export function createRouter(deps: RouterDeps): Router {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;

  async function run<T>(model: string, type: ModelType, options: RouteOptions, attempt: AttemptFn<T>, track: Track<T> | undefined, spec: CacheSpec<T>): Promise<Execution<T>> {
    const catalog = deps.catalog();
    const planned = plan(catalog, { model, type, prefer: options.prefer, now: now(), localOnly: deps.localOnly?.() ?? false });
    const decision = deps.cache && !options.simulateFailures?.size ? cacheDecision(spec.kind, spec.body, options.native, planned.route, catalog.config.settings, options.cacheControl) : undefined;
    if (deps.cache && decision?.lookup && decision.key) {
      const hit = deps.cache.get(decision.key);
      if (hit) {
        const deployment = catalog.deployments.get(hit.deployment) ?? { name: hit.deployment, provider: hit.provider, model: '' };
        return { value: spec.restore(hit.payload as CachedAnswer), deployment, attempts: [], skipped: [], cache: 'hit' };
      }
    }
    let execution: Execution<T>;
    try {
      const simulated = options.simulateFailures;
      const attemptOrSimulate: AttemptFn<T> = simulated?.size
        ? (provider, deployment, signal) =>
            simulated.has(deployment.name) ? Promise.reject(new UpstreamError('upstream_5xx', 'simulated failure (playground): not sent upstream')) : attempt(provider, deployment, signal)
        : attempt;
      execution = await execute({ catalog, plan: planned, breakers: simulated?.size ? undefined : deps.breakers, clientSignal: options.signal, now, random }, attemptOrSimulate, track);
      // A rehearsal says nothing about the deployments' health.
      if (!simulated?.size) deps.onAttempts?.(execution.attempts);
    } catch (error) {
      if (error instanceof ExecutionError && !options.simulateFailures?.size) deps.onAttempts?.(error.attempts);
      throw error;
    }
    if (!deps.cache || !decision?.store || !decision.key) return { ...execution, cache: 'bypass' };
    const { cache } = deps;
    const key = decision.key;
    const store = (answer: CachedAnswer) => cache.put(key, { deployment: execution.deployment.name, provider: execution.deployment.provider, kind: spec.kind, payload: answer }, decision.ttlMs, decision.maxBytes);
    return { ...execution, value: spec.keep(execution.value, store), cache: decision.lookup ? 'miss' : 'bypass' };
  }

  const chatJson = (kind: CacheKind, body: object): CacheSpec<ChatCompletion> => ({
    kind,
    body: body as Record<string, unknown>,
    restore: (answer) => answer.completion ?? completionFromChunks(answer.chunks ?? []),
    keep: (completion, store) => {
      store({ completion });
      return completion;
    },
  });
  const chatStreamed = (kind: CacheKind, body: object): CacheSpec<OpenedStream> => ({
    kind,
    body: body as Record<string, unknown>,
    restore: (answer) => replay(answer.chunks ?? chunksFromCompletion(answer.completion as ChatCompletion)),
    keep: (opened, store) => recordWhole(opened, (chunks) => store({ chunks, completion: completionFromChunks(chunks) })),
  });

  return {
    chat: (request, options) =>
      run(
        request.model,
        'chat',
        options,
        (provider, deployment, signal) => provider.chat({ ...request, stream: false }, { deployment, signal, native: options.native }),
        undefined,
        chatJson('chat', request),
      ),

    chatStream: (request, options) =>
      run(
        request.model,
        'chat',
        options,
        async (provider, deployment, signal) => open(await provider.chatStream({ ...request, stream: true }, { deployment, signal, native: options.native }), provider.config.name),
        settleWhenDone,
        chatStreamed('chat', request),
      ),

    embed: (request, options) =>
      run(request.model, 'embedding', options, (provider, deployment, signal) => provider.embed(request, { deployment, signal }), undefined, {
        kind: 'embedding',
        body: request as unknown as Record<string, unknown>,
        restore: (answer) => answer.embedding as CreateEmbeddingResponse,
        keep: (embedding, store) => {
          store({ embedding });
          return embedding;
        },
      }),

    generate: (request, options) =>
      run(
        request.model,
        'chat',
        options,
        (provider, deployment, signal) => {
          if (provider.generate) return provider.generate({ ...request, stream: false }, { deployment, signal });
          const { request: chat, native } = chatFromGenerate(request);
          return provider.chat({ ...chat, stream: false }, { deployment, signal, native });
        },
        undefined,
        chatJson('generate', request),
      ),

    generateStream: (request, options) =>
      run(
        request.model,
        'chat',
        options,
        async (provider, deployment, signal) => {
          if (provider.generateStream) return open(await provider.generateStream({ ...request, stream: true }, { deployment, signal }), provider.config.name);
          const { request: chat, native } = chatFromGenerate(request);
          return open(await provider.chatStream({ ...chat, stream: true }, { deployment, signal, native }), provider.config.name);
        },
        settleWhenDone,
        chatStreamed('generate', request),
      ),
  };
}

/** A cached answer served as a stream, chunk by chunk, exactly as it was recorded. */
function replay(chunks: ChatCompletionChunk[]): OpenedStream {
  const [first, ...rest] = chunks;
  const iterator = rest[Symbol.iterator]();
  return {
    first: first as ChatCompletionChunk,
    rest: {
      next: async () => iterator.next(),
      return: async () => ({ done: true, value: undefined }),
    },
  };
}

/** Passes a stream through and hands over all its chunks once it ended cleanly; a cut stream is never kept. */
function recordWhole(opened: OpenedStream, onComplete: (chunks: ChatCompletionChunk[]) => void): OpenedStream {
  const chunks = [opened.first];
  const inner = opened.rest;
  return {
    first: opened.first,
    rest: {
      async next() {
        const next = await inner.next();
        if (next.done) onComplete(chunks);
        else chunks.push(next.value);
        return next;
      },
      return: async (value?: unknown) => (await inner.return?.(value)) ?? { done: true, value: undefined },
    },
  };
}

/** Waits for a stream's first chunk: until it arrives the request may still fall back. */
async function open(stream: AsyncIterable<ChatCompletionChunk>, providerName: string): Promise<OpenedStream> {
  const rest = stream[Symbol.asyncIterator]();
  const first = await rest.next();
  if (first.done) throw new UpstreamError('upstream_protocol', `${providerName}'s stream ended before its first chunk`);
  return { first: first.value, rest };
}

/** A committed stream holds its concurrency slot and breaker permit until it ends, however it ends. */
function settleWhenDone(opened: OpenedStream, settle: (error?: unknown) => void): OpenedStream {
  const inner = opened.rest;
  let settled = false;
  const finish = (error?: unknown) => {
    if (settled) return;
    settled = true;
    settle(error);
  };
  return {
    first: opened.first,
    rest: {
      async next() {
        try {
          const next = await inner.next();
          if (next.done) finish();
          return next;
        } catch (error) {
          finish(error);
          throw error;
        }
      },
      async return(value?: unknown) {
        finish(new UpstreamError('client_closed', 'the stream was abandoned'));
        return (await inner.return?.(value)) ?? { done: true, value: undefined };
      },
    },
  };
}
