/**
 * A canonical chat request through the router, whole or streamed, with its answers cached in the
 * canonical shape: used by `/v1/chat/completions` and by the admin playground. A stream and a whole
 * answer share a cache entry (each can be served from the other).
 */
import type { Execution } from '../../routing/execute';
import type { Caching, RouteRequest, Router } from '../../routing/router';
import { recordWhole, replay, streaming, type OpenedStream } from '../../routing/streams';
import { keyFields } from '../../routing/cache-policy';
import { withStream } from '../../wire/copy-with';
import { chunksFromCompletion, completionFromChunks, isPreambleChunk, type ChatCompletion, type ChatCompletionChunk, type ChatRequest } from '../../wire/canonical';

interface CachedChat {
  completion?: ChatCompletion;
  chunks?: ChatCompletionChunk[];
}

export function chatWhole(router: Router, route: RouteRequest, body: ChatRequest): Promise<Execution<ChatCompletion>> {
  return router.run(route, (provider, deployment, signal) => provider.chat(withStream(body, false), { deployment, signal, via: route.via }), {
    cache: caching<ChatCompletion>(body, {
      restore: (answer) => answer.completion ?? completionFromChunks(answer.chunks ?? []),
      keep: (completion, store) => {
        store({ completion });
        return completion;
      },
    }),
  });
}

export function chatStream(router: Router, route: RouteRequest, body: ChatRequest): Promise<Execution<OpenedStream<ChatCompletionChunk>>> {
  const { attempt, track, discard } = streaming((provider, deployment, signal) => provider.chatStream(withStream(body, true), { deployment, signal, via: route.via }), isPreambleChunk);
  return router.run(route, attempt, {
    track,
    discard,
    cache: caching<OpenedStream<ChatCompletionChunk>>(body, {
      restore: (answer) => replay(answer.chunks ?? chunksFromCompletion(answer.completion as ChatCompletion)),
      keep: (opened, store) => recordWhole(opened, (chunks) => store({ chunks, completion: completionFromChunks(chunks) })),
    }),
  });
}

function caching<T>(body: ChatRequest, how: { restore(answer: CachedChat): T; keep(value: T, store: (answer: CachedChat) => void): T }): Caching<T> {
  return {
    key: () => keyFields(body as unknown as Record<string, unknown>),
    repeatable: body.temperature === 0,
    restore: (payload) => how.restore(payload as CachedChat),
    keep: how.keep,
  };
}
