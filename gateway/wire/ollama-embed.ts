/**
 * Canonical (OpenAI) embeddings <-> Ollama's `/api/embed`, for an Ollama deployment asked in
 * another API; a request in Ollama's own goes as it came (surfaces/ollama), and its answer, the
 * deprecated `/api/embeddings`' too, is read back here for the cache and the usage row.
 */
import type { EmbeddingsResponse as OllamaEmbeddingResponse, EmbedRequest as OllamaEmbedRequest, EmbedResponse as OllamaEmbedResponse } from 'ollama';
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

/**
 * An Ollama embed request's texts as the canonical request carries them to other providers. Ollama
 * embeds an empty text in a batch (for most models, as their start and end tokens); OpenAI refuses
 * the whole batch for one ("'$.input' is invalid"), so an indexer's blank chunk failed all the others
 * once the cloud answered for Ollama. It goes as a space, the nearest text to none.
 */
export function canonicalEmbedInput(input: string | string[]): string | string[] {
  return Array.isArray(input) && input.includes('') ? input.map((text) => text || ' ') : input;
}

/**
 * Ollama's `/api/embed` scales each vector to length 1, and its clients may rank by dot product on
 * that promise. OpenAI's models answer so too; others need not (Gemini's below its full 3,072
 * dimensions, servers that leave normalising to the caller), so another server's vectors are scaled
 * here. A zero vector has no direction to keep and stays as it is; a non-numeric one (base64) too.
 */
export function unitVectors(answer: EmbeddingAnswer): EmbeddingAnswer {
  const scaled = answer.data.map((item) => {
    const vector = item.embedding as unknown;
    if (!Array.isArray(vector)) return item;
    let sum = 0;
    for (const x of vector as number[]) sum += x * x;
    const length = Math.sqrt(sum);
    return length === 0 || Math.abs(length - 1) < 1e-9 ? item : { ...item, embedding: (vector as number[]).map((x) => x / length) };
  });
  return { ...answer, data: scaled };
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

export type { OllamaEmbeddingResponse };

/** Embeddings as a front door reads them: an upstream's count of the tokens, where it gives one. */
export type EmbeddingAnswer = Omit<CreateEmbeddingResponse, 'usage'> & { usage?: CreateEmbeddingResponse['usage'] };

/** `/api/embeddings`' one vector (it counts no tokens: the usage row estimates them). */
export function fromOllamaEmbedding(response: OllamaEmbeddingResponse, model: string): EmbeddingAnswer {
  return { object: 'list', model, data: [{ object: 'embedding', index: 0, embedding: response.embedding }] };
}
