/**
 * Canonical (OpenAI) embeddings <-> Ollama's `/api/embed`, for an Ollama deployment asked in
 * another API; a request in Ollama's own goes as it came (surfaces/ollama).
 */
import type { EmbedRequest as OllamaEmbedRequest, EmbedResponse as OllamaEmbedResponse } from 'ollama';
import type { DeploymentConfig } from '../config/schema';
import { GatewayError } from '../errors';
import type { CreateEmbeddingResponse, EmbeddingRequest } from './canonical';
import { withDeploymentDefaults } from './ollama';

export function toOllamaEmbed(request: EmbeddingRequest, deployment: DeploymentConfig): OllamaEmbedRequest {
  const input = request.input;
  const isText = typeof input === 'string' || (Array.isArray(input) && input.every((item) => typeof item === 'string'));
  // LangChain's OpenAIEmbeddings sends token ids by default: an OpenAI-compatible deployment later
  // in the route takes them, so the route passes over this one rather than refusing.
  if (!isText) {
    throw new GatewayError('needs_native_api', 'token ids (arrays of integers) can only go to a deployment that takes them: Ollama embeds text (a string or an array of strings)', {
      param: 'input',
    });
  }
  return withDeploymentDefaults({ input, ...(request.dimensions != null ? { dimensions: request.dimensions } : {}) }, deployment) as unknown as OllamaEmbedRequest;
}

export function fromOllamaEmbed(response: OllamaEmbedResponse): CreateEmbeddingResponse {
  const tokens = response.prompt_eval_count ?? 0;
  return {
    object: 'list',
    model: response.model,
    data: response.embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
