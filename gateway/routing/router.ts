/**
 * The router: model name in, an answer from the first deployment that gives one out. It plans
 * against the current catalog, runs the fallback loop, and reports every attempt to its observers.
 */
import { UpstreamError } from '../errors';
import type { OllamaGenerateBody } from '../wire/ollama';
import { chatFromGenerate, type NativeOllama } from '../wire/ollama-inbound';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, CreateEmbeddingResponse, EmbeddingRequest } from '../wire/openai';
import type { BreakerBoard } from './breaker-board';
import type { Catalog } from './catalog';
import { execute, ExecutionError, type Attempt, type AttemptFn, type Execution, type Track } from './execute';
import { plan, type ModelType } from './plan';

export interface RouteOptions {
  prefer?: string | undefined;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
  /** Ollama-native settings from the Ollama-compatible API, for Ollama upstreams. */
  native?: NativeOllama | undefined;
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
  now?: () => number;
  random?: () => number;
  onAttempts?: (attempts: readonly Attempt[]) => void;
}

export function createRouter(deps: RouterDeps): Router {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;

  async function run<T>(model: string, type: ModelType, options: RouteOptions, attempt: AttemptFn<T>, track?: Track<T>): Promise<Execution<T>> {
    const catalog = deps.catalog();
    const planned = plan(catalog, { model, type, prefer: options.prefer, now: now() });
    try {
      const execution = await execute({ catalog, plan: planned, breakers: deps.breakers, clientSignal: options.signal, now, random }, attempt, track);
      deps.onAttempts?.(execution.attempts);
      return execution;
    } catch (error) {
      if (error instanceof ExecutionError) deps.onAttempts?.(error.attempts);
      throw error;
    }
  }

  return {
    chat: (request, options) =>
      run(request.model, 'chat', options, (provider, deployment, signal) => provider.chat({ ...request, stream: false }, { deployment, signal, native: options.native })),

    chatStream: (request, options) =>
      run(
        request.model,
        'chat',
        options,
        async (provider, deployment, signal) => open(await provider.chatStream({ ...request, stream: true }, { deployment, signal, native: options.native }), provider.config.name),
        settleWhenDone,
      ),

    embed: (request, options) =>
      run(request.model, 'embedding', options, (provider, deployment, signal) => provider.embed(request, { deployment, signal })),

    generate: (request, options) =>
      run(request.model, 'chat', options, (provider, deployment, signal) => {
        if (provider.generate) return provider.generate({ ...request, stream: false }, { deployment, signal });
        const { request: chat, native } = chatFromGenerate(request);
        return provider.chat({ ...chat, stream: false }, { deployment, signal, native });
      }),

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
      ),
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
