/**
 * An Ollama chat or generate request through the router, whole or streamed: an Ollama deployment
 * gets it as the client sent it, a server that serves OpenAI's text completions a text completion
 * (for generate requests), any other a canonical translation (made once, on first need), and a
 * load request (nothing to answer) is answered locally by deployments with nothing to load. Used by
 * `/api/chat`, `/api/generate`, and `/v1/completions` (a generate request in OpenAI's words).
 */
import type { NativeEndpoint, ProviderAdapter } from '../../providers/types';
import type { Execution } from '../../routing/execute';
import type { RouteRequest, Router } from '../../routing/router';
import { mapEvents, streaming, type OpenedStream } from '../../routing/streams';
import type { ChatRequest } from '../../wire/canonical';
import { answerCache, ollamaPreamble, type OllamaItem, type OllamaWhole } from './answers';
import { isLoadOnly, loadAnswer } from './codec';
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

type Way = 'native' | 'completions' | 'load' | 'chat';

/**
 * How a deployment gets the request: as it came (an Ollama), answered here (a load request, which
 * only an Ollama has anything to do for), as a text completion (a server that serves them), or
 * translated to chat.
 */
function wayFor(provider: ProviderAdapter, loadOnly: boolean, alternative: Alternative): Way {
  if (provider.speaks('ollama')) return 'native';
  if (loadOnly) return 'load';
  return alternative.completions && provider.speaks('completions') ? 'completions' : 'chat';
}

export function ollamaStream(router: Router, route: RouteRequest, endpoint: OllamaEndpoint, body: Record<string, unknown>, toCanonical: () => ChatRequest, alternative: Alternative = {}): Promise<Execution<OpenedStream<OllamaItem>>> {
  const loadOnly = isLoadOnly(kindOf(endpoint), body);
  const translated = once(toCanonical);
  const { attempt, track, discard } = streaming<OllamaItem>(async (provider, deployment, signal): Promise<AsyncIterable<OllamaItem>> => {
    switch (wayFor(provider, loadOnly, alternative)) {
      case 'native':
        return mapEvents(await provider.nativeStream(endpoint, body, { deployment, signal, via: route.via }), (event) => ({ line: event.data }));
      case 'completions': {
        const completions = { ...alternative.completions, stream_options: { include_usage: true } };
        return mapEvents(linesFromTextCompletions(await provider.nativeStream('completions', completions, { deployment, signal, via: route.via })), (line) => ({ line }));
      }
      case 'load':
        return only({ line: loadAnswer(kindOf(endpoint), body) });
      case 'chat':
        return mapEvents(await provider.chatStream(withStream(translated(), true), { deployment, signal, via: route.via }), (chunk) => ({ chunk }));
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
      switch (wayFor(provider, loadOnly, alternative)) {
        case 'native':
          return { line: await provider.nativeJson(endpoint, body, { deployment, signal, via: route.via }) };
        case 'completions':
          return { line: lineFromTextCompletion(await provider.nativeJson('completions', { ...alternative.completions, stream: false }, { deployment, signal, via: route.via })) };
        case 'load':
          return { line: loadAnswer(kindOf(endpoint), body) };
        case 'chat':
          return { completion: await provider.chat(withStream(translated(), false), { deployment, signal, via: route.via }) };
      }
    },
    { cache: answerCache(body, 'whole') },
  );
}

/** The translation, made on first need and kept for the next deployment that needs it. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

async function* only<T>(item: T): AsyncGenerator<T> {
  yield item;
}
