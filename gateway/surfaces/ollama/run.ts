/**
 * An Ollama chat or generate request through the router, whole or streamed: an Ollama deployment
 * gets it as the client sent it, any other a canonical translation (made once, on first need), and
 * a load request (nothing to answer) is answered locally by deployments with nothing to load. Used
 * by `/api/chat`, `/api/generate`, and `/v1/completions` (which is a generate request in OpenAI's words).
 */
import type { NativeEndpoint } from '../../providers/types';
import type { Execution } from '../../routing/execute';
import type { RouteRequest, Router } from '../../routing/router';
import { mapEvents, streaming, type OpenedStream } from '../../routing/streams';
import type { ChatRequest } from '../../wire/canonical';
import { answerCache, type OllamaItem, type OllamaWhole } from './answers';
import { isLoadOnly, loadAnswer } from './codec';

export type OllamaEndpoint = Extract<NativeEndpoint, 'ollama.chat' | 'ollama.generate'>;

const kindOf = (endpoint: OllamaEndpoint) => (endpoint === 'ollama.chat' ? 'chat' : 'generate');

export function ollamaStream(router: Router, route: RouteRequest, endpoint: OllamaEndpoint, body: Record<string, unknown>, translated: () => ChatRequest): Promise<Execution<OpenedStream<OllamaItem>>> {
  const loadOnly = isLoadOnly(kindOf(endpoint), body);
  const { attempt, track, discard } = streaming<OllamaItem>(async (provider, deployment, signal) =>
    provider.speaks('ollama')
      ? mapEvents(await provider.nativeStream(endpoint, body, { deployment, signal }), (event) => ({ line: event.data }))
      : loadOnly
        ? only({ line: loadAnswer(kindOf(endpoint), body) })
        : mapEvents(await provider.chatStream({ ...translated(), stream: true }, { deployment, signal }), (chunk) => ({ chunk })),
  );
  return router.run(route, attempt, { track, discard, cache: answerCache(body, 'stream') });
}

export function ollamaWhole(router: Router, route: RouteRequest, endpoint: OllamaEndpoint, body: Record<string, unknown>, translated: () => ChatRequest): Promise<Execution<OllamaWhole>> {
  const loadOnly = isLoadOnly(kindOf(endpoint), body);
  return router.run<OllamaWhole>(
    route,
    async (provider, deployment, signal) =>
      provider.speaks('ollama')
        ? { line: await provider.nativeJson(endpoint, body, { deployment, signal }) }
        : loadOnly
          ? { line: loadAnswer(kindOf(endpoint), body) }
          : { completion: await provider.chat({ ...translated(), stream: false }, { deployment, signal }) },
    { cache: answerCache(body, 'whole') },
  );
}

async function* only<T>(item: T): AsyncGenerator<T> {
  yield item;
}
