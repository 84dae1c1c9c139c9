/**
 * A local (or remote) Ollama through its native API. Canonical requests are translated
 * (wire/ollama.ts); requests that arrive in Ollama's own API pass through with the deployment's
 * model and defaults. Answers are checked: a stream must end with `done: true`, every line must be
 * JSON (Ollama's own client would skip a bad line and carry on).
 */
import { keepAliveSent } from '../config/keep-alive';
import { providerCredentials } from './api-key';
import { linkedCancellation, type Cancellation, type CancelSignal } from '../cancel';
import type { DeploymentConfig, ProviderConfig } from '../config/schema';
import { UpstreamError } from '../errors';
import { nearestEffort, THINK_LEVELS } from '../models/efforts';
import { thinksInLevels } from '../models/facts';
import type { ChatCompletionChunk } from '../wire/canonical';
import { newCompletionId } from '../wire/ids';
import {
  createOllamaChunkTranslator,
  fromOllamaChat,
  nativeBody,
  withDeploymentDefaults,
  toOllamaChat,
  type OllamaChatResponse,
  type OllamaEmbedResponse,
} from '../wire/ollama';
import { fromOllamaEmbed, toOllamaEmbed } from '../wire/ollama-embed';
import { limiterFor } from './concurrency';
import { DEFAULT_TIMEOUTS, createTransport, type Transport } from './transport';
import { nativeJson, nativeStream, ollamaWhole } from './native';
import { ndjsonObjects } from './upstream-streams';
import { modelsMemory } from './quirk-memory';
import { createThinkingLearner, withoutEffort, withoutThinking } from './thinking-learner';
import { nativeWithinOutputLimit, withinOutputLimit } from './output-limit';
import type { NativeApi, NativeEndpoint, ProviderAdapter, ProviderContext, PullProgress } from './types';
import { withoutBillingHeader } from '../wire/billing-header';
import { withoutInlineSystem } from '../wire/system-reminders';
import { withDeferralResolved } from '../wire/tool-deferral';
import { forOllamaMessages } from '../wire/ollama-messages';
import { forOllamaResponses } from '../wire/ollama-responses';
import { withStream } from '../wire/copy-with';

const PATHS: Record<NativeEndpoint, string> = {
  'ollama.chat': '/api/chat',
  'ollama.generate': '/api/generate',
  'ollama.embed': '/api/embed',
  'ollama.embeddings': '/api/embeddings',
  responses: '/v1/responses',
  // Not served by any Ollama: the front door summarises with the model instead (surfaces/responses/compact.ts),
  // and estimates a count (surfaces/responses/count.ts).
  'responses.compact': '/v1/responses/compact',
  'responses.input_tokens': '/v1/responses/input_tokens',
  messages: '/v1/messages',
  'messages.count_tokens': '/v1/messages/count_tokens',
  completions: '/v1/completions',
};
/** The Ollama versions that serve the OpenAI Responses API and the Anthropic Messages API themselves. */
// Text completions go to an Ollama's own generate instead, but its OpenAI API has served them from the start.
const SINCE = { responses: '0.13.3', messages: '0.14.0', completions: '0.1.14' } as const;
const PULL_IDLE_MS = 10 * 60_000;
const PULL_TOTAL_MS = 24 * 3_600_000;
/** A progress line is a few hundred bytes. */
const PULL_LINE_BYTES = 64 * 1024;

export function createOllamaProvider(config: ProviderConfig, context: ProviderContext): ProviderAdapter {
  const { secrets, gatewayId, proxy } = context;
  const { headers: providerHeaders, unavailableReason } = providerCredentials(config, secrets);
  const transport = createTransport({
    providerName: config.name,
    baseUrl: config.baseUrl,
    headers: { accept: 'application/json', ...providerHeaders },
    defaults: DEFAULT_TIMEOUTS.ollama,
    gatewayId,
    proxy,
    timeouts: config.timeouts,
    maxResponseBytes: config.maxResponseBytes,
  });
  // A pull takes as long as the download does (tens of GB), and Ollama is quiet while it verifies a
  // large file: its own transport, made on first use, has no deadline but a long idle limit.
  let pullTransport: Transport | undefined;
  const pulling = () =>
    (pullTransport ??= createTransport({
      providerName: config.name,
      baseUrl: config.baseUrl,
      headers: { accept: 'application/x-ndjson', ...providerHeaders },
      defaults: DEFAULT_TIMEOUTS.ollama,
      timeouts: { ...config.timeouts, idleMs: PULL_IDLE_MS, totalMs: PULL_TOTAL_MS },
      // Ollama writes a progress line every 60 ms, about 1 MB a minute: a large model on a slow line
      // passes any cap on the whole answer. Each line is read and dropped, so lines are bounded instead.
      maxResponseBytes: Number.MAX_SAFE_INTEGER,
      gatewayId,
      proxy,
    }));
  const pullsInFlight = new Set<Cancellation>();
  async function pullWith(signal: CancelSignal, model: string, progress: (step: PullProgress) => void): Promise<void> {
    const opened = await pulling().stream({ method: 'POST', path: '/api/pull', body: { model, stream: true } }, signal);
    const stream = { ...opened, body: shortLines(opened.body, PULL_LINE_BYTES, config.name) };
    try {
      // Ollama reports a failure after the first line as an `error` line (server/routes.go), and ends with `success`.
      for await (const line of ndjsonObjects(stream, { isEnd: (line) => line.status === 'success' || typeof line.error === 'string', name: '"success"' })) {
        if (typeof line.error === 'string') throw new UpstreamError('upstream_4xx', line.error);
        const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
        progress({ status: String(line.status ?? ''), digest: typeof line.digest === 'string' ? line.digest : undefined, total: number(line.total), completed: number(line.completed) });
      }
    } finally {
      opened.end();
    }
  }
  // What it serves: declared in the config, else learned from its version (its health probe asks).
  let version: string | undefined;
  const speaks = (api: NativeApi, deployment?: DeploymentConfig) => {
    if (api === 'ollama') return true;
    // Ollama's Messages and Responses endpoints run the model with its default context and load
    // settings: a long prompt would be cut to fit, silently. What a deployment sets goes by /api/chat.
    if (deployment && (deployment.keepAlive !== undefined || deployment.think !== undefined || (deployment.options !== undefined && Object.keys(deployment.options).length > 0))) return false;
    if (config.apis) return config.apis.includes(api);
    return version !== undefined && atLeast(version, SINCE[api]);
  };

  const thinkingLearned = createThinkingLearner(modelsMemory(context, config, 'no-thinking'));

  return {
    config,
    unavailableReason,
    limiter: limiterFor(config, context.limiter),
    speaks,

    async chat(request, context) {
      const body = { ...toOllamaChat(withinOutputLimit(request, context.deployment), context.deployment) };
      const whole = await thinkingLearned(context.deployment.model, body, (body) => ollamaWhole(transport, 'ollama.chat', '/api/chat', body, context));
      const loaded = onlyLoaded(whole, config.name, context.deployment.model);
      if (loaded) throw loaded;
      return fromOllamaChat(whole as unknown as OllamaChatResponse, newCompletionId());
    },

    async chatStream(request, context) {
      const body = { ...toOllamaChat(withinOutputLimit(request, context.deployment), context.deployment), stream: true };
      return translated(await thinkingLearned(context.deployment.model, body, (body) => nativeStream(transport, 'ollama.chat', '/api/chat', body, context)), config.name, context.deployment.model);
    },

    async embed(request, { deployment, signal, via }) {
      const { value } = await transport.json<OllamaEmbedResponse>({ method: 'POST', path: '/api/embed', body: toOllamaEmbed(request, deployment), via }, signal);
      if (!Array.isArray(value?.embeddings)) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without embeddings`);
      return fromOllamaEmbed(value);
    },

    async nativeJson(endpoint, body, context) {
      const native = outgoing(endpoint, body, context.deployment);
      return thinkingLearned(context.deployment.model, native, (body) => nativeJson(transport, endpoint, PATHS[endpoint], body, context));
    },

    nativeStream(endpoint, body, context) {
      const native = withStream(outgoing(endpoint, body, context.deployment), true);
      return thinkingLearned(context.deployment.model, native, (body) => nativeStream(transport, endpoint, PATHS[endpoint], body, context));
    },

    show: (model, signal) => call(transport, { method: 'POST', path: '/api/show', body: { model } }, signal),

    async running(signal) {
      const { models } = await call(transport, { method: 'GET', path: '/api/ps' }, signal);
      return Array.isArray(models) ? models.filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null) : [];
    },

    async load(deployment, signal) {
      // A request with nothing to answer only loads the model: a generate without a prompt (Ollama answers
      // `done_reason: "load"`), or for an embedding model, which generate refuses, an embed without input.
      const body = { model: deployment.model, ...(deployment.options ? { options: deployment.options } : {}), ...(deployment.keepAlive === undefined ? {} : { keep_alive: keepAliveSent(deployment.keepAlive) }) };
      if (deployment.type === 'embedding') await call(transport, { method: 'POST', path: '/api/embed', body }, signal);
      else await call(transport, { method: 'POST', path: '/api/generate', body: { ...body, stream: false } }, signal);
    },

    async unload(deployment, signal) {
      // What `ollama stop` sends: Ollama lets the model go as soon as no request runs on it.
      await call(transport, { method: 'POST', path: '/api/generate', body: { model: deployment.model, stream: false, keep_alive: 0 } }, signal);
    },

    async pull(model, signal, progress) {
      // Ended by close() too: a download of many gigabytes must not hold a stopping gateway.
      const own = linkedCancellation(signal, undefined, () => undefined);
      pullsInFlight.add(own.signal);
      try {
        await pullWith(own.signal, model, progress);
      } finally {
        pullsInFlight.delete(own.signal);
        own.end();
      }
    },

    async probe(signal) {
      const [about, tags, ps] = await Promise.all([
        call(transport, { method: 'GET', path: '/api/version' }, signal),
        call(transport, { method: 'GET', path: '/api/tags' }, signal),
        call(transport, { method: 'GET', path: '/api/ps' }, signal),
      ]);
      const names = (list: unknown) => (Array.isArray(list) ? list.map((m: { name?: unknown }) => String(m?.name)) : []);
      if (!Array.isArray(tags.models)) throw new UpstreamError('upstream_protocol', `${config.name}'s model list has no models array`);
      version = String(about.version ?? '');
      const loadedContext: Record<string, number> = {};
      for (const m of Array.isArray(ps.models) ? (ps.models as { name?: unknown; context_length?: unknown }[]) : []) {
        if (typeof m?.context_length === 'number') loadedContext[String(m.name)] = m.context_length;
      }
      const remote = (tags.models as { name?: unknown; remote_host?: unknown }[]).filter((m) => typeof m?.remote_host === 'string' && m.remote_host !== '').map((m) => String(m.name));
      const digests = new Map<string, string>();
      for (const m of tags.models as { name?: unknown; digest?: unknown }[]) {
        if (typeof m?.digest !== 'string') continue;
        digests.set(String(m.name), m.digest);
        digests.set(String(m.name).replace(/:latest$/, ''), m.digest);
      }
      return { version, models: names(tags.models), loaded: names(ps.models), loadedContext, remote, digests };
    },

    retire: async () => {
      await Promise.all([transport.retire(), pullTransport?.retire()]);
    },
    close: async () => {
      for (const pull of pullsInFlight) pull.abort(new UpstreamError('client_closed', 'the gateway stopped'));
      await Promise.all([transport.close(), pullTransport?.close()]);
    },
  };
}

async function call(transport: Transport, request: Parameters<Transport['json']>[0], signal: CancelSignal): Promise<Record<string, unknown>> {
  return (await transport.json<Record<string, unknown>>(request, signal)).value;
}

async function* translated(lines: AsyncIterable<{ data: Record<string, unknown> }>, providerName: string, model: string): AsyncGenerator<ChatCompletionChunk> {
  const translate = createOllamaChunkTranslator(newCompletionId());
  for await (const line of lines) {
    const loaded = onlyLoaded(line.data, providerName, model);
    if (loaded) throw loaded;
    yield* translate(line.data as unknown as OllamaChatResponse);
  }
}

/**
 * An answer that only loaded the model (`done_reason` "load", or "unload"): how Ollama answers a
 * chat it finds nothing to answer in (no messages; on ollama.com, no turn but system ones). It is no
 * empty answer: a deployment that reads the request otherwise (a cloud API answers a system prompt
 * alone) may answer it, and with none the client is told why.
 */
function onlyLoaded(line: Record<string, unknown>, providerName: string, model: string): UpstreamError | undefined {
  if (line.done !== true || (line.done_reason !== 'load' && line.done_reason !== 'unload')) return undefined;
  const message = `${providerName} only loaded ${model} and wrote nothing (done_reason "${String(line.done_reason)}"), as Ollama answers a chat with no user turn`;
  return new UpstreamError('unsupported', message, { status: 400, upstreamError: { message, param: 'messages', code: null } });
}

/** The bytes of a stream whose lines are each at most `most` bytes long (a line without end must not fill memory). */
async function* shortLines(body: AsyncIterable<Uint8Array>, most: number, providerName: string): AsyncGenerator<Uint8Array> {
  const tooLong = () => new UpstreamError('upstream_protocol', `${providerName} sent a progress line longer than ${most / 1024} KiB`);
  let open = 0;
  for await (const chunk of body) {
    let from = 0;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, from)) {
      if (open + at - from > most) throw tooLong();
      open = 0;
      from = at + 1;
    }
    open += chunk.byteLength - from;
    if (open > most) throw tooLong();
    yield chunk;
  }
}

/** `0.14.2` >= `0.14.0`: numeric parts compared in order (pre-release tags ignored). */
function atLeast(version: string, minimum: string): boolean {
  const parts = (v: string) => v.replace(/^v/, '').split(/[.-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** A passed-through request as this Ollama takes it: its own API with the deployment's defaults, or another with the deployment's model; the answer within the deployment's limit either way. */
function outgoing(endpoint: NativeEndpoint, body: Record<string, unknown>, deployment: DeploymentConfig): Record<string, unknown> {
  if (endpoint === 'ollama.embed' || endpoint === 'ollama.embeddings') return withDeploymentDefaults(body, deployment);
  const native = endpoint === 'ollama.chat' || endpoint === 'ollama.generate' ? nativeBody(body, deployment) : endpoint.startsWith('messages') ? { ...forOllamaMessages(withDeferralResolved(withoutInlineSystem(withoutBillingHeader(body)))), model: deployment.model } : { ...forOllamaResponses(body), model: deployment.model };
  const thinking = deployment.capabilities && !deployment.capabilities.includes('thinking') ? withoutThinking(native) : endpoint === 'responses' || endpoint === 'messages' ? effortAsLevel(endpoint, native, deployment) : native;
  return nativeWithinOutputLimit(endpoint, thinking, deployment);
}

/**
 * A request's effort as Ollama takes it: its Responses API makes `reasoning.effort` a thinking level,
 * and its Messages API `output_config.effort` where `thinking` is adaptive or absent (Claude Code
 * sends both). Only some models think in levels (gpt-oss: low to high, so `xhigh` and `max` go as
 * high); the others refuse any level ("think value "medium" is not supported for this model"), so
 * theirs is left out and they think as they do by default; `none` stays (no thinking).
 */
function effortAsLevel(endpoint: 'responses' | 'messages', body: Record<string, unknown>, deployment: DeploymentConfig): Record<string, unknown> {
  const key = endpoint === 'responses' ? 'reasoning' : 'output_config';
  const holder = body[key] as { effort?: unknown } | null | undefined;
  if (!holder || typeof holder !== 'object' || holder.effort == null || holder.effort === 'none') return body;
  const level = thinksInLevels(deployment) ? nearestEffort(holder.effort, THINK_LEVELS) : undefined;
  if (level === holder.effort) return body;
  return { ...body, [key]: level ? { ...holder, effort: level } : withoutEffort(holder) };
}
