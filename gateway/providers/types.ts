/**
 * The interface every provider adapter implements. Adapters speak the canonical chat shape
 * (translated to their upstream's API and back) and, for the APIs their upstream speaks natively,
 * pass a request through with only the model changed. They call the upstream through the one
 * transport, check what comes back, and throw `UpstreamError` for any failed attempt.
 */
import type { CancelSignal } from '../cancel';
import type { DeploymentConfig, ProviderConfig } from '../config/schema';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, CreateEmbeddingResponse, EmbeddingRequest } from '../wire/canonical';
import type { Secrets } from '../config/secrets';
import type { ConcurrencyLimiter } from './concurrency';
import type { ProxySettings } from './proxy';

/** A front door's API that some upstreams speak natively. */
export type NativeApi = 'ollama' | 'responses' | 'messages' | 'completions';

/** The endpoints a request can pass through to. */
export type NativeEndpoint = 'ollama.chat' | 'ollama.generate' | 'ollama.embed' | 'ollama.embeddings' | 'responses' | 'responses.compact' | 'responses.input_tokens' | 'messages' | 'messages.count_tokens' | 'completions';

/** One event of a passed-through stream: an NDJSON object, or an SSE event with its name. */
export interface NativeEvent {
  event?: string | undefined;
  data: Record<string, unknown>;
}

/** What a provider adapter is made with besides its config. */
export interface ProviderContext {
  secrets: Secrets;
  /** This gateway's id, sent with every upstream request (`x-switchyard-via`) so a loop back to it is refused. */
  gatewayId?: string | undefined;
  /** Who signed the reasoning passed through, shared by every provider. */
  signatures?: SignatureBook | undefined;
  /** The proxy the environment names for cloud upstreams. */
  proxy?: ProxySettings | undefined;
  /** What upstreams were found to refuse (quirk-memory.ts); without it, each adapter learns alone. */
  quirks?: QuirkMemory | undefined;
  /**
   * The concurrency limiter of the adapter this one replaces for the same server (a provider
   * edited while it works): requests the old adapter runs or queues still count against the cap.
   */
  limiter?: ConcurrencyLimiter | undefined;
}

/** One thing learned of a server, as it is kept (store/upstream-quirks.ts). */
export interface QuirkRow {
  learner: string;
  model: string;
  /** As the learner gave it, read back from JSON. */
  value: unknown;
  learnedAt: number;
}

/**
 * Where what upstreams refused is kept across restarts. `server` names the upstream (its kind and
 * base URL: quirk-memory.ts), `learner` what was learned (refused fields, an output limit, Responses only).
 */
export interface QuirkRows {
  /** What one learner learned of a server, oldest first. */
  recall(server: string, learner: string): [model: string, value: unknown][];
  note(server: string, learner: string, model: string, value: unknown): void;
  list(server: string): QuirkRow[];
  forget(server: string): void;
}

/** One learner's memory of one server, model by model. */
export interface LearnerMemory<V> {
  learned: Map<string, V>;
  /** Keeps what was just set in `learned` across restarts. */
  remember(model: string, value: V): void;
}

/**
 * What the adapters learned of each server (quirk-memory.ts): one map per learner and server, shared
 * by every adapter of that server (a config change that makes the adapter again keeps it), started
 * from what was kept.
 */
export interface QuirkMemory {
  learner<V>(server: string, learner: string, read: (stored: unknown) => V | undefined, store: (value: V) => unknown): LearnerMemory<V>;
  list(server: string): QuirkRow[];
  /** Forgets what was learned of a server, kept and in memory: its next requests go as clients send them. */
  forget(server: string): void;
}

export interface CallContext {
  deployment: DeploymentConfig;
  /** Aborted when the client goes away or the request's deadline passes. */
  signal: CancelSignal;
  /** Headers of the client's own to send on unchanged (`anthropic-version`, `anthropic-beta` to an Anthropic upstream). */
  headers?: Record<string, string> | undefined;
  /** The gateways the request already passed through, sent on with this gateway's id after them. */
  via?: string | undefined;
}

export interface ProviderAdapter {
  readonly config: ProviderConfig;
  /** Why this provider cannot be used at all right now (e.g. its API key variable is unset). */
  readonly unavailableReason: string | undefined;
  /** The provider's concurrency cap and queue, shared by all its deployments. */
  readonly limiter: ConcurrencyLimiter;
  /**
   * Whether a request in this API can go to this upstream as it is (but for the model), for this
   * deployment: an Ollama's /v1 endpoints take no `options`, `keep_alive` or `think`, so a deployment
   * that sets them (or a `num_ctx` raised for a long prompt) is translated to its /api/chat instead.
   */
  speaks(api: NativeApi, deployment?: DeploymentConfig): boolean;
  chat(request: ChatRequest, context: CallContext): Promise<ChatCompletion>;
  /** Resolves once the upstream answered with a stream; chunks end with a usage-only chunk when the upstream reports usage. */
  chatStream(request: ChatRequest, context: CallContext): Promise<AsyncIterable<ChatCompletionChunk>>;
  embed(request: EmbeddingRequest, context: CallContext): Promise<CreateEmbeddingResponse>;
  /** A request passed through in the upstream's own API (`speaks` said yes); the whole answer. */
  nativeJson(endpoint: NativeEndpoint, body: Record<string, unknown>, context: CallContext): Promise<Record<string, unknown>>;
  /** The same, streamed: every event up to and including the one that ends the stream. */
  nativeStream(endpoint: NativeEndpoint, body: Record<string, unknown>, context: CallContext): Promise<AsyncIterable<NativeEvent>>;
  /** The upstream's own description of a model (Ollama's `/api/show`), where it has one. */
  show?(model: string, signal: CancelSignal): Promise<Record<string, unknown>>;
  /** The models loaded in the upstream right now, as it describes them (Ollama's `/api/ps` entries). */
  running?(signal: CancelSignal): Promise<Record<string, unknown>[]>;
  /** Puts a deployment's model in memory with the options and keep-alive its requests carry (Ollama), ahead of any request. */
  load?(deployment: DeploymentConfig, signal: CancelSignal): Promise<void>;
  /** Frees a deployment's model from memory now, once the requests running on it finish (Ollama's `keep_alive: 0`). */
  unload?(deployment: DeploymentConfig, signal: CancelSignal): Promise<void>;
  /** Downloads a model to the upstream (Ollama's `/api/pull`), telling its progress; resolves once it is installed. */
  pull?(model: string, signal: CancelSignal, progress: (step: PullProgress) => void): Promise<void>;
  /** A health probe: cheap read-only calls, outside the concurrency cap and never counted as traffic. */
  probe(signal: CancelSignal): Promise<ProbeResult>;
  /**
   * A config change replaced it: its connections go once no request is under way. What is under way
   * (a request queued for it, a stream, a model pull) goes on: only the gateway's stop ends a pull.
   */
  retire(): Promise<void>;
  /** Closes pooled connections once in-flight requests finish. */
  close(): Promise<void>;
}

/** One step of a pull, as Ollama streams them: `pulling manifest`, `pulling <digest>` with bytes, `verifying sha256 digest`, `success`. */
export interface PullProgress {
  status: string;
  digest?: string | undefined;
  total?: number | undefined;
  completed?: number | undefined;
}

export interface ProbeResult {
  /** Models the provider has (Ollama: installed; OpenAI-compatible: its models list); null when it keeps no list. */
  models: string[] | null;
  /** Ollama only: models loaded in memory now. */
  loaded?: string[];
  /** Ollama only: its version. */
  version?: string;
  /** Ollama only: the context length each loaded model runs with now. */
  loadedContext?: Record<string, number>;
  /** Ollama only: models it passes to Ollama's cloud (`remote_host` in its list), not run here. */
  remote?: string[];
  /** Ollama only: each installed model's manifest digest, by name with and without `:latest` (a pull of a newer version changes it). */
  digests?: ReadonlyMap<string, string>;
  /** Others: the context window and answer limit of each model whose list entry says one (models-list.ts). */
  limits?: ReadonlyMap<string, ListedLimits>;
}

/** What a models list says of one model's size, in tokens. */
export interface ListedLimits {
  window?: number;
  /** The most one answer may have. */
  maxOutput?: number;
}

/**
 * Who signed the reasoning of the answers passed through (signed-reasoning.ts): a Messages
 * thinking block's model, a Responses reasoning item's provider.
 */
export interface SignatureBook {
  /** An answer (whole, or its stream) that `signer` gave, its signed reasoning noted as that signer's on the way. */
  watched<T>(endpoint: NativeEndpoint, signer: string, answer: T): T;
  /** Sends a request to `signer` without the reasoning it cannot verify, and once more without the rest of another's if it refuses some. */
  send<T>(endpoint: NativeEndpoint, body: Record<string, unknown>, signer: string, send: (body: Record<string, unknown>) => Promise<T>): Promise<T>;
}
