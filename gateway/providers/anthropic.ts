/**
 * Anthropic's Messages API. Requests that arrive in the Messages API pass through with only the
 * model changed (thinking signatures, cache_control and fields newer than this gateway survive),
 * with the client's `anthropic-version` and `anthropic-beta` sent on unchanged; every other front
 * door's requests are translated (wire/anthropic.ts). Answers are checked like every provider's: a
 * stream must end with `message_stop`, and an `error` event is a failure of the deployment.
 */
import { providerCredentials } from './api-key';
import type { ProviderConfig } from '../config/schema';
import { UpstreamError } from '../errors';
import { ADAPTIVE_THINKING, BUDGET_REFUSED, claudeEfforts, INLINE_SYSTEM, SAMPLING_REMOVED } from '../models/claude';
import { THINKING_BUDGETS, thinkingBudgetWithin, toMessagesRequest } from '../wire/anthropic';
import { ofShape } from '../wire/answer-shapes';
import { createMessagesChunkTranslator, fromMessage, MESSAGES_END, type AnthropicMessage, type RawMessageStreamEvent } from '../wire/anthropic-answers';
import type { ChatCompletionChunk } from '../wire/canonical';
import { newCompletionId } from '../wire/ids';
import { withoutBillingHeader } from '../wire/billing-header';
import { withoutInlineSystem } from '../wire/system-reminders';
import { withDeferralResolved } from '../wire/tool-deferral';
import { chunksStopped, completionStopped, stopsOf } from '../wire/stop-sequences';
import { limiterFor } from './concurrency';
import { modelsList } from './models-list';
import { nativeJson, nativePath, nativeStream } from './native';
import { NO_BOOK } from './signed-reasoning';
import { createFieldLearner, MESSAGES_DROPPABLE, refusalMemory } from './unknown-fields';
import { createLimitLearner, limitMemory, nativeWithinOutputLimit } from './output-limit';
import { nearestEffort } from '../models/efforts';
import { maxOutputOf } from '../models/facts';
import { createTransport, defaultTimeouts } from './transport';
import { isLocalProvider, isOnLocalNetwork } from './locality';
import type { CallContext, NativeEndpoint, ProviderAdapter, ProviderContext } from './types';
import { failureInAnswer } from './stream-errors';
import { sseEvents } from './upstream-streams';
import { copyWith, withStream } from '../wire/copy-with';

/** The API version sent when the client named none (another front door's request). */
const ANTHROPIC_VERSION = '2023-06-01';
const PATHS: Partial<Record<NativeEndpoint, string>> = { messages: '/v1/messages', 'messages.count_tokens': '/v1/messages/count_tokens' };
const MODELS_PATH = '/v1/models?limit=1000';

export function createAnthropicProvider(config: ProviderConfig, context: ProviderContext): ProviderAdapter {
  const { secrets, gatewayId, proxy, signatures } = context;
  const { headers: providerHeaders, unavailableReason } = providerCredentials(config, secrets, { required: true });
  // Anthropic's own API reads Claude Code's billing line; other Anthropic-compatible servers only cache worse for it.
  const ownApi = new URL(config.baseUrl).hostname === 'api.anthropic.com';
  const transport = createTransport({
    providerName: config.name,
    baseUrl: config.baseUrl,
    // The key goes as the official SDK sends it.
    headers: { accept: 'application/json', 'anthropic-version': ANTHROPIC_VERSION, ...providerHeaders },
    defaults: defaultTimeouts('anthropic', isLocalProvider(config), isOnLocalNetwork(config)),
    gatewayId,
    proxy,
    timeouts: config.timeouts,
    maxResponseBytes: config.maxResponseBytes,
  });
  const apis = config.apis ?? ['messages'];
  const pathOf = (endpoint: NativeEndpoint) => nativePath(PATHS, endpoint, config.name);
  const withinLearnedLimit = createLimitLearner(limitMemory(context, config));
  const withoutRefusedFields = createFieldLearner(MESSAGES_DROPPABLE, { messages: true, memory: refusalMemory(context, config, 'messages-fields', MESSAGES_DROPPABLE) });
  // Thinking another model signed is left out: Anthropic refuses it (signed-reasoning.ts).
  const book = signatures ?? NO_BOOK;

  return {
    config,
    unavailableReason,
    limiter: limiterFor(config, context.limiter),
    speaks: (api) => api !== 'ollama' && apis.includes(api),

    // A translated history may hold thinking another Claude signed (signed-thinking.ts): left out where refused.
    chat: (request, { deployment, signal, via }) =>
      withinLearnedLimit(deployment, async (deployment) => {
        const body = toMessagesRequest(withStream(request, false), deployment, maxOutputOf(deployment)) as unknown as Record<string, unknown>;
        const { value } = await book.send('messages', body, deployment.model, (body) => transport.json<unknown>({ method: 'POST', path: '/v1/messages', body, via }, signal));
        return completionStopped(fromMessage(ofShape<AnthropicMessage>('Messages answer', value, config.name)), stopsOf(request));
      }),

    chatStream: (request, { deployment, signal, via }) =>
      withinLearnedLimit(deployment, async (deployment) => {
        const body = toMessagesRequest(withStream(request, true), deployment, maxOutputOf(deployment)) as unknown as Record<string, unknown>;
        const stream = await book.send('messages', body, deployment.model, (body) => transport.stream({ method: 'POST', path: '/v1/messages', body, headers: { accept: 'text/event-stream' }, via }, signal));
        return chunksStopped(translated(sseEvents(stream, MESSAGES_END), config.name), stopsOf(request));
      }),

    embed: () => Promise.reject(new UpstreamError('upstream_4xx', `${config.name} (Anthropic) has no embeddings API`, { status: 400 })),

    // A field an Anthropic-compatible server refuses as unknown (Claude Code's `context_management`,
    // `diagnostics`, a caching hint's `scope`) is left out for that model (unknown-fields.ts).
    nativeJson: (endpoint, body, context) =>
      withinLearnedLimit(context.deployment, (deployment) => book.send(endpoint, nativeBody(body, { ...context, deployment }, ownApi), deployment.model, (body) => withoutRefusedFields(body, (body) => nativeJson(transport, endpoint, pathOf(endpoint), body, withVersion(context))))),
    nativeStream: (endpoint, body, context) =>
      withinLearnedLimit(context.deployment, (deployment) => book.send(endpoint, { ...nativeBody(body, { ...context, deployment }, ownApi), stream: true }, deployment.model, (body) => withoutRefusedFields(body, (body) => nativeStream(transport, endpoint, pathOf(endpoint), body, withVersion(context))))),

    probe: (signal) => modelsList(transport, MODELS_PATH, config.name, signal),

    retire: () => transport.retire(),
    close: () => transport.close(),
  };
}

/** The client's `anthropic-version` wins over the default; its `anthropic-beta` goes on as it was. */
function withVersion(context: CallContext): CallContext {
  return context.headers ? context : { ...context, headers: {} };
}

/**
 * A Messages request as the client sent it, with the deployment's model (thinking it could not
 * verify is left out on the way: signed-reasoning.ts), its thinking in the form the model takes, and
 * without sampling parameters the deployment's model refuses: a client asked for one Claude model, and a route or alias may send it to another
 * (Opus 4.7 on take none; from the 4.5 models, a `temperature` or a `top_p`, not both).
 */
function nativeBody(body: Record<string, unknown>, context: CallContext, ownApi: boolean): Record<string, unknown> {
  const model = context.deployment.model;
  const { temperature, top_p: topP, top_k: topK, ...rest } = ownApi ? body : withoutBillingHeader(body);
  // Other models behind the Messages API (DeepSeek's, Kimi's) take both as they were sent.
  const oneOf = model.startsWith('claude-') && temperature !== undefined;
  const placed = INLINE_SYSTEM.test(model) ? rest : withoutInlineSystem(rest);
  // Only Claude models defer tools (others' servers are told by refusal: unknown-fields.ts).
  const shown = model.startsWith('claude-') ? placed : withDeferralResolved(placed);
  const fields: Record<string, unknown> = { model };
  if (!SAMPLING_REMOVED.test(model)) {
    if (temperature !== undefined) fields.temperature = temperature;
    if (topP !== undefined && !oneOf) fields.top_p = topP;
    if (topK !== undefined) fields.top_k = topK;
  }
  return copyWith(thinkingFor(nativeWithinOutputLimit('messages', shown, context.deployment), model), fields);
}

/**
 * A passed-through request's thinking in the form the deployment's model takes. A client sends its
 * own model's form; a route or alias may send it to another: Opus 4.7 and the fifth generation refuse
 * a token budget ("thinking.type.enabled is not supported for this model"), the models before 4.6
 * know no adaptive thinking, and each model has its own efforts (Opus 4.7's xhigh, 4.6's max; none
 * before 4.6 but Opus 4.5's low to high). The same effort goes in the form it takes, or the nearest.
 */
function thinkingFor(body: Record<string, unknown>, model: string): Record<string, unknown> {
  if (!model.startsWith('claude-')) return body;
  const thinking = body.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  const { effort: asked, ...config } = (body.output_config ?? {}) as { effort?: unknown };
  const effort = nearestEffort(asked, claudeEfforts(model));
  const out: Record<string, unknown> = { ...body };
  const setEffort = (value: unknown) => {
    if (value === undefined && Object.keys(config).length === 0) delete out.output_config;
    else out.output_config = value === undefined ? config : { ...config, effort: value };
  };
  if (thinking?.type === 'enabled' && BUDGET_REFUSED.test(model)) {
    const budget = typeof thinking.budget_tokens === 'number' ? thinking.budget_tokens : 0;
    out.thinking = { type: 'adaptive', display: 'summarized' };
    setEffort(effort ?? (budget <= 2_048 ? 'low' : budget <= 8_192 ? 'medium' : 'high'));
    return out;
  }
  if (thinking?.type === 'adaptive' && !ADAPTIVE_THINKING.test(model)) {
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 0;
    const budget = THINKING_BUDGETS[asked as keyof typeof THINKING_BUDGETS] ?? THINKING_BUDGETS.high;
    // A budget is at least 1,024 tokens and under the answer's cap: an answer too short for one goes without.
    if (maxTokens <= thinkingBudgetWithin(0)) delete out.thinking;
    else out.thinking = { type: 'enabled', budget_tokens: Math.min(budget, thinkingBudgetWithin(maxTokens)) };
  } else if (asked === undefined || effort === asked) {
    return body;
  }
  setEffort(effort);
  return out;
}

async function* translated(events: AsyncIterable<{ event: string | undefined; data: string }>, providerName: string): AsyncGenerator<ChatCompletionChunk> {
  const translate = createMessagesChunkTranslator(newCompletionId());
  for await (const { data } of events) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw new UpstreamError('upstream_protocol', `${providerName} sent a stream event that is not JSON`);
    }
    const event = ofShape<RawMessageStreamEvent | { type: 'error' | 'ping'; error?: { type?: string; message?: string } }>('Messages stream event', parsed, providerName);
    if (event.type === 'error') throw failureInAnswer(providerName, event);
    if (event.type === 'ping') continue;
    yield* translate(event as RawMessageStreamEvent);
  }
}
