/**
 * An Ollama chat or generate request through the router, whole or streamed: an Ollama deployment
 * gets it as the client sent it, a server that serves OpenAI's text completions a text completion
 * (for generate requests), any other a canonical translation (made once, on first need), and a
 * load request (nothing to answer) is answered locally by deployments with nothing to load. Used by
 * `/api/chat`, `/api/generate`, and `/v1/completions` (a generate request in OpenAI's words).
 */
import type { CancelSignal } from '../../cancel';
import type { DeploymentConfig } from '../../config/schema';
import { UpstreamError } from '../../errors';
import type { NativeEndpoint, ProviderAdapter } from '../../providers/types';
import type { Execution } from '../../routing/execute';
import type { RouteRequest, Router } from '../../routing/router';
import { mapEvents, streaming, type OpenedStream } from '../../routing/streams';
import type { ChatRequest } from '../../wire/canonical';
import { answerCache, ollamaPreamble, type OllamaItem, type OllamaWhole } from './answers';
import { isLoadOnly, isUnload, loadAnswer } from './load-requests';
import { lineFromTextCompletion, linesFromTextCompletions } from '../../wire/text-completion';
import { withStream } from '../../wire/copy-with';

export type OllamaEndpoint = Extract<NativeEndpoint, 'ollama.chat' | 'ollama.generate'>;

/**
 * The request in another API that some upstreams serve themselves: a text completion (as
 * `/v1/completions`' client sent it, or made from a generate request), for a server with
 * `completions` in its APIs (real fill-in-the-middle).
 */
export interface Alternative {
  completions?: Record<string, unknown>;
}

const kindOf = (endpoint: OllamaEndpoint) => (endpoint === 'ollama.chat' ? 'chat' : 'generate');

type Way = 'native' | 'completions' | 'load' | 'embed-load' | 'chat';

/**
 * How a deployment gets the request: as it came (an Ollama), answered here (a load request, which
 * only an Ollama has anything to do for), as a text completion (a server that serves them), or
 * translated to chat. A gap to fill (`suffix`) goes to an Ollama model told it lacks `insert`
 * (routing/plan.ts) as chat too: its own generate would refuse it ("does not support insert").
 */
function wayFor(provider: ProviderAdapter, deployment: DeploymentConfig, body: Record<string, unknown>, loadOnly: boolean, alternative: Alternative): Way {
  // An embedding model: an Ollama unloads it as any other, but loads it only for an embed request (its generate refuses to).
  if (loadOnly && deployment.type === 'embedding') return !provider.speaks('ollama') ? 'load' : isUnload(body) ? 'native' : 'embed-load';
  if (provider.speaks('ollama')) return typeof body.suffix === 'string' && body.suffix !== '' && deployment.capabilities?.includes('insert') === false ? 'chat' : 'native';
  if (loadOnly) return 'load';
  return alternative.completions && provider.speaks('completions') ? 'completions' : 'chat';
}

export function ollamaStream(router: Router, route: RouteRequest, endpoint: OllamaEndpoint, body: Record<string, unknown>, toCanonical: () => ChatRequest, alternative: Alternative = {}): Promise<Execution<OpenedStream<OllamaItem>>> {
  const loadOnly = isLoadOnly(kindOf(endpoint), body);
  const translated = once(toCanonical);
  const { attempt, track, discard } = streaming<OllamaItem>(async (provider, deployment, signal): Promise<AsyncIterable<OllamaItem>> => {
    const chat = async () => mapEvents(await provider.chatStream(withStream(translated(), true), { deployment, signal, via: route.via }), (chunk): OllamaItem => ({ chunk }));
    switch (wayFor(provider, deployment, body, loadOnly, alternative)) {
      case 'native':
        return orChat(async () => mapEvents(await provider.nativeStream(endpoint, body, { deployment, signal, via: route.via }), (event): OllamaItem => ({ line: event.data })), chat);
      case 'completions': {
        const completions = { ...alternative.completions, stream_options: { include_usage: true } };
        return mapEvents(linesFromTextCompletions(await provider.nativeStream('completions', completions, { deployment, signal, via: route.via })), (line) => ({ line }));
      }
      case 'load':
        return only({ line: loadAnswer(kindOf(endpoint), body) });
      case 'embed-load':
        await loadEmbedding(provider, deployment, body, signal);
        return only({ line: loadAnswer(kindOf(endpoint), body) });
      case 'chat':
        return chat();
    }
  }, ollamaPreamble);
  return router.run(route, attempt, { track, discard, cache: answerCache(body, 'stream') });
}

export function ollamaWhole(router: Router, route: RouteRequest, endpoint: OllamaEndpoint, body: Record<string, unknown>, toCanonical: () => ChatRequest, alternative: Alternative = {}): Promise<Execution<OllamaWhole>> {
  const loadOnly = isLoadOnly(kindOf(endpoint), body);
  const translated = once(toCanonical);
  return router.run<OllamaWhole>(
    route,
    async (provider, deployment, signal) => {
      const chat = async (): Promise<OllamaWhole> => ({ completion: await provider.chat(withStream(translated(), false), { deployment, signal, via: route.via }) });
      switch (wayFor(provider, deployment, body, loadOnly, alternative)) {
        case 'native':
          return orChat(async () => ({ line: await provider.nativeJson(endpoint, body, { deployment, signal, via: route.via }) }), chat);
        case 'completions':
          return { line: lineFromTextCompletion(await provider.nativeJson('completions', { ...alternative.completions, stream: false }, { deployment, signal, via: route.via })) };
        case 'load':
          return { line: loadAnswer(kindOf(endpoint), body) };
        case 'embed-load':
          await loadEmbedding(provider, deployment, body, signal);
          return { line: loadAnswer(kindOf(endpoint), body) };
        case 'chat':
          return chat();
      }
    },
    { cache: answerCache(body, 'whole') },
  );
}

/** Loads an Ollama's embedding model (an embed request of nothing), kept as long as the client's `keep_alive` says. */
async function loadEmbedding(provider: ProviderAdapter, deployment: DeploymentConfig, body: Record<string, unknown>, signal: CancelSignal): Promise<void> {
  const keepAlive = body.keep_alive as DeploymentConfig['keepAlive'];
  await provider.load?.(keepAlive === undefined ? deployment : { ...deployment, keepAlive }, signal);
}

/**
 * The request as it came, or as chat where an Ollama refuses its gap to fill: a model nothing had
 * said lacks `insert` (not probed yet, or its probes off) answers "... does not support insert".
 */
async function orChat<T>(native: () => Promise<T>, chat: () => Promise<T>): Promise<T> {
  try {
    return await native();
  } catch (error) {
    if (error instanceof UpstreamError && error.status === 400 && INSERT_REFUSED.test(error.upstreamError?.message ?? '')) return chat();
    throw error;
  }
}

const INSERT_REFUSED = /does not support insert/i;

/** The translation, made on first need and kept for the next deployment that needs it. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

async function* only<T>(item: T): AsyncGenerator<T> {
  yield item;
}
