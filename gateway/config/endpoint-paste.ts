/**
 * A provider's base URL pasted as one endpoint's address (`.../v1/chat/completions`, Ollama's
 * `.../api/chat`, Anthropic's `.../v1/messages`), as API docs show them: every request would then
 * go to that path with its own appended (`/chat/completions/chat/completions`), a 404 that reads as
 * a missing model. Said at validation with the base URL meant.
 */
import type { ProviderConfig } from './schema';

// Each kind's endpoints, as the end of a path; whatever comes before them is the base URL's path.
// Not `/models` for OpenAI-compatible servers: Azure AI's inference API is based at `.../models`.
const ENDPOINTS: Record<ProviderConfig['kind'], RegExp> = {
  openai: /\/(?:chat\/completions|completions|embeddings|responses)$/,
  ollama: /\/(?:api(?:\/(?:chat|generate|tags|embed|embeddings|show|ps|version|pull))?|v1(?:\/(?:chat\/completions|completions|embeddings|models|responses))?)$/,
  anthropic: /\/v1(?:\/(?:messages(?:\/count_tokens)?|models|complete))?$/,
};

/** Where this base URL ends in an endpoint of its kind's API: that path, and the base URL meant. */
export function endpointPasted(kind: ProviderConfig['kind'], url: URL): { endpoint: string; meant: string } | undefined {
  const path = url.pathname.replace(/\/+$/, '');
  const found = ENDPOINTS[kind].exec(path);
  return found ? { endpoint: found[0], meant: `${url.origin}${path.slice(0, found.index)}${url.search}` } : undefined;
}
