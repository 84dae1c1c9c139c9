/**
 * OpenAI and every OpenAI-compatible server (Google's for Gemini, Together, Groq, OpenRouter,
 * Mistral, DeepSeek, LM Studio, vLLM, llama.cpp). The canonical chat shape is this API's own, so a
 * chat request goes out as the client sent it with the deployment's model; answers are checked (a
 * stream must end with `[DONE]` or a finish reason, every event must be a chunk) and normalised so
 * they validate against the spec.
 */
import { providerCredentials } from './api-key';
import type { DeploymentConfig, NativeApiName, ProviderConfig } from '../config/schema';
import { UpstreamError } from '../errors';
import { toolNamesTaken, withCallIdsTaken } from './tool-identifiers';
import { decodeEmbedding, withoutHistoryReasoning, withoutSignedThinking, type ChatCompletion, type ChatRequest, type CreateEmbeddingResponse } from '../wire/canonical';
import { ofShape } from '../wire/answer-shapes';
import { normalizeCompletion } from '../wire/normalize';
import { withDetailsCarried, withDetailsReturned } from '../wire/reasoning-details';
import { limiterFor } from './concurrency';
import { modelsList, withV1 } from './models-list';
import { forGemini, isGoogle } from './gemini';
import { createTransport, defaultTimeouts } from './transport';
import { isLocalProvider, isOnLocalNetwork } from './locality';
import { nativeJson, nativePath, nativeStream } from './native';
import { createLimitLearner, limitMemory, nativeWithinOutputLimit, withinOutputLimit } from './output-limit';
import { createFieldLearner, refusalMemory, RESPONSES_DROPPABLE } from './unknown-fields';
import { NO_BOOK } from './signed-reasoning';
import type { NativeEndpoint, ProviderAdapter, ProviderContext } from './types';
import { chunksOf, completionFromEvents } from './chat-events';
import { chunksFromResponses, createResponsesBridge } from './responses-bridge';
import { modelsMemory } from './quirk-memory';
import { createTemplateLearner } from './template-quirks';
import { chatToResponses, completionFromResponse } from '../wire/responses';
import { withoutBillingHeader } from '../wire/billing-header';
import { withoutInlineSystem } from '../wire/system-reminders';
import { withoutLookaroundPatterns } from '../wire/schema-patterns';
import { withDeferralResolved } from '../wire/tool-deferral';
import { chunksStopped, completionStopped, stopsOf, withStopsTaken } from '../wire/stop-sequences';
import { copyWith } from '../wire/copy-with';
import { embedInPieces, GOOGLE_BATCH, OPENAI_BATCH } from './embedding-batches';

/** Paths under the provider's base URL (which ends in /v1). */
const PATHS: Partial<Record<NativeEndpoint, string>> = { responses: '/responses', 'responses.compact': '/responses/compact', 'responses.input_tokens': '/responses/input_tokens', messages: '/messages', 'messages.count_tokens': '/messages/count_tokens', completions: '/completions' };

/** What an OpenAI-compatible server serves itself, unless its config says: OpenAI's own API has Responses too. */
function servedApis(config: ProviderConfig): NativeApiName[] {
  if (config.apis) return config.apis;
  return isOpenAI(config) ? ['chat', 'responses'] : ['chat'];
}

function isOpenAI(config: ProviderConfig): boolean {
  try {
    return new URL(config.baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

/**
 * The stop sequences a server is sent (wire/stop-sequences.ts applies the rest): OpenAI's API takes
 * four, its reasoning models none.
 */
const FOUR = (_stop: string, index: number) => index < 4;
const NONE = () => false;

/** OpenAI's reasoning models: the o-series and gpt-5 onwards, but for their `-chat` variants (fine-tunes of them too). */
const REASONING_MODEL = /^(?:ft:)?(?:o\d|gpt-[5-9]|codex-)(?!.*-chat)/;

/**
 * A chat completion as OpenAI's own API takes it for `model`, changed only there:
 * - it refuses reasoning in chat history, which DeepSeek and others need back;
 * - its reasoning models (o-series, gpt-5) refuse `max_tokens` ("Use 'max_completion_tokens'
 *   instead"), which every translation and many older clients send. All its chat models take
 *   `max_completion_tokens`, so a Claude Code session that falls back to gpt-5 is not refused;
 * - its reasoning models refuse a `temperature` or `top_p` other than 1 ("Only the default (1)
 *   value is supported") unless reasoning is off, and editors send 0.2 or 0.7 by default: the
 *   model samples as it must instead of refusing the request;
 * - its other models (gpt-4.1, gpt-4o, `-chat`) refuse a `reasoning_effort`, which agents send
 *   every time: a route that falls back to one gets an answer without reasoning.
 */
export function forOfficialOpenAI(request: ChatRequest, model: string): ChatRequest {
  let out = request;
  if ('max_tokens' in out) {
    const { max_tokens: maxTokens, ...rest } = out;
    const limit = out.max_completion_tokens ?? maxTokens;
    out = limit == null ? rest : { ...rest, max_completion_tokens: limit };
  }
  const reasons = REASONING_MODEL.test(model);
  if ((out.temperature != null || out.top_p != null) && out.reasoning_effort !== 'none' && reasons) {
    const { temperature: _t, top_p: _p, ...rest } = out;
    out = rest;
  }
  if (out.reasoning_effort != null && !reasons) {
    const { reasoning_effort: _e, ...rest } = out;
    out = rest;
  }
  return withoutHistoryReasoning(out);
}

export function createOpenAIProvider(config: ProviderConfig, context: ProviderContext): ProviderAdapter {
  const { secrets, gatewayId, proxy, signatures } = context;
  const { headers: providerHeaders, unavailableReason } = providerCredentials(config, secrets);
  // A keyless local server (LM Studio, vLLM) gets no Authorization header at all.
  const transport = createTransport({
    providerName: config.name,
    baseUrl: config.baseUrl,
    headers: { accept: 'application/json', ...providerHeaders },
    defaults: defaultTimeouts('openai', isLocalProvider(config), isOnLocalNetwork(config)),
    gatewayId,
    proxy,
    timeouts: config.timeouts,
    maxResponseBytes: config.maxResponseBytes,
  });

  const apis = servedApis(config);
  const official = isOpenAI(config);
  const google = isGoogle(config);
  const batchLimits = google ? GOOGLE_BATCH : OPENAI_BATCH;
  // Where its answers' reasoning details came from, so only this server gets them back (reasoning-details.ts).
  const origin = new URL(config.baseUrl).origin;
  const outgoing = (request: ChatRequest, deployment: DeploymentConfig) => {
    const limited = withinOutputLimit(withToolsAsServersTakeThem(withStopsTaken(withCallIdsTaken(withoutSignedThinking(withDetailsReturned(request, origin))), official && REASONING_MODEL.test(deployment.model) ? NONE : FOUR)), deployment);
    return official ? withoutLookaroundPatterns(forOfficialOpenAI(limited, deployment.model)) : google ? forGemini(limited) : limited;
  };
  const pathOf = (endpoint: NativeEndpoint) => nativePath(PATHS, endpoint, config.name);
  const withinLearnedLimit = createLimitLearner(limitMemory(context, config));
  const withoutRefusedFields = createFieldLearner(undefined, { memory: refusalMemory(context, config, 'chat-fields') });
  const asTheModelTakes = createFieldLearner(RESPONSES_DROPPABLE, { memory: refusalMemory(context, config, 'responses-fields', RESPONSES_DROPPABLE) });
  const asTemplateReads = createTemplateLearner((learner) => modelsMemory(context, config, learner));
  // Reasoning another account encrypted (or none) is left out of a Responses request: OpenAI refuses it (signed-reasoning.ts).
  // Its fields are the client's: only hints it means the same without are left out where refused, its
  // effort goes as the nearest the model has, and schema patterns the server cannot compile are left out (unknown-fields.ts).
  const signed = <T>(endpoint: NativeEndpoint, body: Record<string, unknown>, send: (body: Record<string, unknown>) => Promise<T>) =>
    endpoint.startsWith('responses') ? (signatures ?? NO_BOOK).send(endpoint, body, config.name, (body) => asTheModelTakes(body, send)) : send(body);

  const nativeJsonCall: ProviderAdapter['nativeJson'] = (endpoint, body, context) =>
    withinLearnedLimit(context.deployment, (deployment) => signed(endpoint, { ...nativeBody(endpoint, body, deployment, official), model: deployment.model }, (body) => nativeJson(transport, endpoint, pathOf(endpoint), body, context)));
  const nativeStreamCall: ProviderAdapter['nativeStream'] = (endpoint, body, context) =>
    withinLearnedLimit(context.deployment, (deployment) => signed(endpoint, { ...nativeBody(endpoint, body, deployment, official), model: deployment.model, stream: true }, (body) => nativeStream(transport, endpoint, pathOf(endpoint), body, context)));
  const gathered = (text: string) => completionFromEvents(text, config.name);
  const bridge = createResponsesBridge(apis.includes('responses') && !apis.includes('chat'), modelsMemory(context, config, 'responses-only'));

  return {
    config,
    unavailableReason,
    limiter: limiterFor(config, context.limiter),
    speaks: (api) => api !== 'ollama' && apis.includes(api),

    chat: (sent, context) => {
      const { deployment, signal, via } = context;
      const stops = stopsOf(sent);
      const names = toolNamesTaken(sent);
      const request = names.request;
      const answer = bridge.via(
        deployment.model,
        () =>
          withinLearnedLimit(deployment, (deployment) =>
            asTemplateReads(deployment.model, { ...outgoing(request, deployment), model: deployment.model, stream: false }, (body) =>
              withoutRefusedFields(body, async (body) => {
                const { value } = await transport.json<unknown>({ method: 'POST', path: '/chat/completions', body, via, orEvents: gathered }, signal);
                return withDetailsCarried(normalizeCompletion(ofShape<ChatCompletion>('chat completion', value, config.name)), origin);
              }),
            ),
          ),
        async () => completionFromResponse(await nativeJsonCall('responses', chatToResponses(outgoing(request, deployment)), context)),
      ).then(names.restore);
      return stops.length === 0 ? answer : answer.then((completion) => completionStopped(completion, stops));
    },

    chatStream: (sent, context) => {
      const { deployment, signal, via } = context;
      const stops = stopsOf(sent);
      const names = toolNamesTaken(sent);
      const request = names.request;
      const chunks = bridge.via(
        deployment.model,
        () =>
          withinLearnedLimit(deployment, (deployment) =>
            asTemplateReads(deployment.model, copyWith(outgoing(request, deployment), { model: deployment.model, stream: true, stream_options: { ...request.stream_options, include_usage: true } }), (body) =>
              withoutRefusedFields(body, async (body) => {
                const stream = await transport.stream({ method: 'POST', path: '/chat/completions', body, headers: { accept: 'text/event-stream' }, via }, signal);
                return chunksOf(stream, config.name, origin);
              }),
            ),
          ),
        async () => chunksFromResponses(await nativeStreamCall('responses', chatToResponses(outgoing(request, deployment)), context)),
      ).then(names.restoreChunks);
      return stops.length === 0 ? chunks : chunks.then((stream) => chunksStopped(stream, stops));
    },

    embed: (request, { deployment, signal, via }) =>
      embedInPieces(request, batchLimits, async (piece) => {
        // Always floats upstream; the surface encodes base64 for clients that ask for it.
        const { value } = await transport.json<CreateEmbeddingResponse>({ method: 'POST', path: '/embeddings', body: { ...piece, model: deployment.model, encoding_format: 'float' }, via }, signal);
        if (!Array.isArray(value?.data)) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without embeddings`);
        for (const item of value.data) item.embedding = decodeEmbedding(item.embedding as number[] | string);
        return value;
      }),

    nativeJson: nativeJsonCall,
    nativeStream: nativeStreamCall,

    probe: (signal) => modelsList(transport, '/models', config.name, signal, withV1(config.baseUrl)),

    retire: () => transport.retire(),
    close: () => transport.close(),
  };
}

/**
 * A request's tools as OpenAI-compatible servers take them:
 * - none offered: Xcode 26 sends `tools: []`; OpenAI and DeepSeek refuse an empty list ("Invalid
 *   'tools': empty array") and a `tool_choice` or `parallel_tool_calls` without tools, where Ollama
 *   took them, so a route fell over at its cloud step;
 * - a `description: null`, which MCP bridges send for a tool that has none (llm-tools-mcp): OpenAI
 *   refuses it ("expected a string, but got null") and llama.cpp's server fails on it with a 500
 *   ("Failed to parse tools: ... type must be string, but is null"). It goes without one.
 */
function withToolsAsServersTakeThem(request: ChatRequest): ChatRequest {
  const tools = request.tools;
  if (tools === undefined) return request;
  if (tools.length === 0) {
    const { tools: _none, tool_choice: _choice, parallel_tool_calls: _parallel, ...rest } = request;
    return rest;
  }
  const described = (tool: (typeof tools)[number]) => tool.type !== 'function' || (tool.function as { description?: unknown }).description !== null;
  if (tools.every(described)) return request;
  return {
    ...request,
    tools: tools.map((tool) => {
      if (tool.type !== 'function' || described(tool)) return tool;
      const { description: _null, ...rest } = tool.function;
      return { ...tool, function: rest };
    }),
  };
}

/**
 * A passed-through request as the upstream takes it: its answer limit within the model's (reasoning
 * items it could not verify are left out on the way: signed-reasoning.ts).
 */
function nativeBody(endpoint: NativeEndpoint, body: Record<string, unknown>, deployment: DeploymentConfig, official: boolean): Record<string, unknown> {
  // The servers that speak Messages for other models (vLLM, LM Studio, DeepSeek's) take no system message inside it, and defer no tools.
  const limited = nativeWithinOutputLimit(endpoint, endpoint.startsWith('messages') ? withDeferralResolved(withoutInlineSystem(withoutBillingHeader(body))) : body, deployment);
  if (!endpoint.startsWith('responses')) return limited;
  return official ? withoutLookaroundPatterns(responsesForOfficialOpenAI(limited, deployment.model)) : limited;
}

/**
 * A Responses request as OpenAI's own API takes it for `model`: its models that do not reason refuse
 * `reasoning`, an `include` of encrypted reasoning and reasoning items in the input, which Codex
 * sends every turn: a route that falls back to one gets an answer without reasoning.
 */
export function responsesForOfficialOpenAI(body: Record<string, unknown>, model: string): Record<string, unknown> {
  if (REASONING_MODEL.test(model)) return body;
  const { reasoning: _reasoning, include, input, ...rest } = body;
  const out: Record<string, unknown> = rest;
  const kept = Array.isArray(include) ? include.filter((item) => item !== 'reasoning.encrypted_content') : include;
  if (kept !== undefined && !(Array.isArray(kept) && kept.length === 0)) out.include = kept;
  if (input !== undefined) out.input = Array.isArray(input) ? input.filter((item: { type?: unknown } | null) => item?.type !== 'reasoning') : input;
  return out;
}


