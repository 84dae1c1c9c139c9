/**
 * The router: model name in, an answer from the first deployment that gives one out. It plans
 * against the current catalog, runs the fallback loop, and reports every attempt to its observers.
 */
import { UpstreamError } from '../errors';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, CreateEmbeddingResponse, EmbeddingRequest } from '../wire/openai';
import type { BreakerBoard } from './breaker-board';
import type { Catalog } from './catalog';
import { execute, ExecutionError, type Attempt, type AttemptFn, type Execution, type Track } from './execute';
import { plan, type ModelType } from './plan';

export interface RouteOptions {
  prefer?: string | undefined;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
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
      run(request.model, 'chat', options, (provider, deployment, signal) => provider.chat({ ...request, stream: false }, { deployment, signal })),

    chatStream: (request, options) =>
      run(
        request.model,
        'chat',
        options,
        async (provider, deployment, signal) => {
          const stream = await provider.chatStream({ ...request, stream: true }, { deployment, signal });
          const rest = stream[Symbol.asyncIterator]();
          const first = await rest.next();
          if (first.done) throw new UpstreamError('upstream_protocol', `${provider.config.name}'s stream ended before its first chunk`);
          return { first: first.value, rest };
        },
        settleWhenDone,
      ),

    embed: (request, options) =>
      run(request.model, 'embedding', options, (provider, deployment, signal) => provider.embed(request, { deployment, signal })),
  };
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
