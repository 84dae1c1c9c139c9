/**
 * The interface every provider adapter implements. Adapters speak canonical (OpenAI-shaped)
 * requests and responses; they translate to their upstream, call it through its official client,
 * check what comes back, and throw `UpstreamError` for any failed attempt.
 */
import type { CancelSignal } from '../cancel';
import type { DeploymentConfig, ProviderConfig } from '../config/schema';
import type { ConcurrencyLimiter } from './concurrency';
import type { OllamaGenerateBody } from '../wire/ollama';
import type { NativeOllama } from '../wire/ollama-inbound';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, CreateEmbeddingResponse, EmbeddingRequest } from '../wire/openai';

export interface CallContext {
  deployment: DeploymentConfig;
  /** Aborted when the client goes away or the request's deadline passes. */
  signal: CancelSignal;
  /** Ollama-native settings from an Ollama-compatible client (used by Ollama upstreams only). */
  native?: NativeOllama | undefined;
}

export interface ProviderAdapter {
  readonly config: ProviderConfig;
  /** Why this provider cannot be used at all right now (e.g. its API key variable is unset). */
  readonly unavailableReason: string | undefined;
  /** The provider's concurrency cap and queue, shared by all its deployments. */
  readonly limiter: ConcurrencyLimiter;
  chat(request: ChatRequest, context: CallContext): Promise<ChatCompletion>;
  /** Resolves once the upstream answered with a stream; chunks end with a usage-only chunk when the upstream reports usage. */
  chatStream(request: ChatRequest, context: CallContext): Promise<AsyncIterable<ChatCompletionChunk>>;
  embed(request: EmbeddingRequest, context: CallContext): Promise<CreateEmbeddingResponse>;
  /** Native `/api/generate` (Ollama upstreams only); others serve generate requests through chat. */
  generate?(request: OllamaGenerateBody, context: CallContext): Promise<ChatCompletion>;
  generateStream?(request: OllamaGenerateBody, context: CallContext): Promise<AsyncIterable<ChatCompletionChunk>>;
  /** The upstream's own `/api/show` for a model (Ollama upstreams only). */
  show?(model: string, signal: CancelSignal): Promise<Record<string, unknown>>;
  /** A health probe: cheap read-only calls, outside the concurrency cap and never counted as traffic. */
  probe(signal: CancelSignal): Promise<ProbeResult>;
  /** Closes pooled connections once in-flight requests finish. */
  close(): Promise<void>;
}

export interface ProbeResult {
  /** Models the provider has (Ollama: installed; OpenAI-compatible: its models list). */
  models: string[];
  /** Ollama only: models loaded in memory now. */
  loaded?: string[];
  /** Ollama only: its version. */
  version?: string;
}
