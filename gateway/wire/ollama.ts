/**
 * Canonical (OpenAI) <-> Ollama native API, pure: the upstream codec of Ollama providers. Ollama is
 * called natively rather than through its `/v1` endpoint because only the native API can set
 * `num_ctx` and `keep_alive` (Ollama silently truncates prompts past its 4096-token default
 * otherwise). Requests that arrive in Ollama's own API pass through instead (`nativeBody`).
 */
import { keepAliveSent } from '../config/keep-alive';
import type {
  ChatRequest as OllamaChatRequest,
  ChatResponse as OllamaChatResponse,
  EmbedRequest as OllamaEmbedRequest,
  EmbedResponse as OllamaEmbedResponse,
  Message as OllamaMessage,
  Options as OllamaOptions,
  ToolCall as OllamaToolCall,
} from 'ollama';
import { refuseAudioAnswer, unreadPart } from './content-parts';
import { newToolCallId } from './ids';
import type { DeploymentConfig } from '../config/schema';
import { GatewayError } from '../errors';
import { nearestEffort, THINK_LEVELS } from '../models/efforts';
import { numCtxWith, thinksInLevels } from '../models/facts';
import { argumentsObject, imageUrlOf, type ChatCompletion, type ChatCompletionChunk, type ChatRequest, type Delta, type Message } from './canonical';
import { logprobsFromOllama } from './logprobs';
import { createThinkSplitter, takeThinkingOut } from './think-tags';
import { toolsChosen } from './tool-choice';

export type { OllamaChatRequest, OllamaChatResponse, OllamaEmbedRequest, OllamaEmbedResponse };

type ChatMessageIn = ChatRequest['messages'][number];
type ToolCallOut = Extract<NonNullable<ChatCompletion['choices'][number]['message']['tool_calls']>[number], { type: 'function' }>;

/** A canonical request for an Ollama deployment: its `options` and `keep_alive` are the defaults the request's own parameters override. */
export function toOllamaChat(request: ChatRequest, deployment: DeploymentConfig): OllamaChatRequest {
  refuseAudioAnswer(request, 'Ollama');
  const toolNames = new Map<string, string>();
  const messages = request.messages.map((message, i) => toOllamaMessage(message, i, toolNames));
  const body: OllamaChatRequest = {
    model: deployment.model,
    messages,
    stream: request.stream === true,
    options: { ...(deployment.options as Partial<OllamaOptions> | undefined), ...optionsFrom(request) },
  };
  if (deployment.keepAlive !== undefined) body.keep_alive = keepAliveSent(deployment.keepAlive);
  const tools = toolsOffered(request);
  if (tools.length) body.tools = tools.map((tool) => ({ type: 'function', function: tool.function as never }));
  const format = request.response_format;
  if (format?.type === 'json_object') body.format = 'json';
  if (format?.type === 'json_schema') body.format = format.json_schema.schema ?? 'json';
  // think: the deployment's default, unless the request asks; a level only for a model that takes
  // levels (gpt-oss, or a deployment set to one), true for the rest, which refuse a level; never
  // asked of a model known not to think (Ollama refuses the request).
  if (deployment.think !== undefined) body.think = deployment.think;
  const effort = request.reasoning_effort;
  const thinks = deployment.capabilities === undefined || deployment.capabilities.includes('thinking');
  const level = nearestEffort(effort, THINK_LEVELS);
  if (effort === 'none') body.think = false;
  else if (thinks && level) body.think = thinksInLevels(deployment) ? level : true;
  if (request.logprobs) {
    body.logprobs = true;
    if (request.top_logprobs != null) body.top_logprobs = request.top_logprobs;
  }
  return body;
}

/**
 * Ollama has no `tool_choice`, and would let the model call a tool the client ruled out: `none`
 * offers no tools, a named function or `allowed_tools` only those; `required` cannot be enforced.
 */
function toolsOffered(request: ChatRequest) {
  const chosen = toolsChosen(request);
  return chosen.mode === 'none' ? [] : chosen.allowed;
}

function optionsFrom(request: ChatRequest): Partial<OllamaOptions> {
  const options: Partial<OllamaOptions> = {};
  if (request.temperature != null) options.temperature = request.temperature;
  if (request.top_p != null) options.top_p = request.top_p;
  if (request.seed != null) options.seed = request.seed;
  if (request.frequency_penalty != null) options.frequency_penalty = request.frequency_penalty;
  if (request.presence_penalty != null) options.presence_penalty = request.presence_penalty;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) options.num_predict = maxTokens;
  if (request.stop != null) options.stop = Array.isArray(request.stop) ? request.stop : [request.stop];
  return options;
}

function toOllamaMessage(message: ChatMessageIn, index: number, toolNames: Map<string, string>): OllamaMessage {
  const role = message.role === 'developer' ? 'system' : message.role === 'function' ? 'tool' : message.role;
  const out: OllamaMessage = { role, content: '' };
  const content = message.content;
  if (typeof content === 'string') {
    out.content = content;
  } else if (Array.isArray(content)) {
    const images: string[] = [];
    let text = '';
    content.forEach((part, j) => {
      if (part.type === 'text') text += typeof part.text === 'string' ? part.text : '';
      else if (part.type === 'refusal') text += typeof part.refusal === 'string' ? part.refusal : '';
      else if (part.type === 'image_url') images.push(imageData(imageUrlOf(part, `messages[${index}].content[${j}]`), `messages[${index}].content[${j}].image_url.url`));
      else throw unreadPart(String(part.type), `messages[${index}].content[${j}]`, 'Ollama');
    });
    out.content = text;
    if (images.length > 0) out.images = images;
  }
  if (message.role === 'assistant') {
    // Reasoning a client sends back (DeepSeek-style multi-turn) reaches the model as its thinking.
    const reasoning = (message as { reasoning_content?: unknown; reasoning?: unknown }).reasoning_content ?? (message as { reasoning?: unknown }).reasoning;
    if (typeof reasoning === 'string' && reasoning) out.thinking = reasoning;
  }
  if (message.role === 'assistant' && message.tool_calls?.length) {
    out.tool_calls = message.tool_calls.flatMap((call): OllamaToolCall[] => {
      if (call.type !== 'function') return [];
      toolNames.set(call.id, call.function.name);
      return [{ id: call.id, function: { name: call.function.name, arguments: argumentsObject(call.function.arguments) } } as OllamaToolCall];
    });
  }
  if (message.role === 'tool') {
    const name = toolNames.get(message.tool_call_id);
    if (name) out.tool_name = name;
    // Ollama pairs a result with its call by id since 0.12.10 (older ones read the name alone).
    (out as OllamaMessage & { tool_call_id?: string }).tool_call_id = message.tool_call_id;
  }
  return out;
}

function imageData(url: string, param: string): string {
  const match = /^data:[^;,]*;base64,(.*)$/s.exec(url);
  if (match?.[1]) return match[1];
  // Ollama fetches no URL, but a cloud deployment later in the route does: passed over, not refused.
  if (/^https?:\/\//i.test(url)) throw new GatewayError('needs_native_api', 'an image given by URL can only go to a deployment that fetches it (Ollama takes base64 data: URLs)', { param });
  throw new GatewayError('invalid_request', 'Ollama deployments take images only as base64 data: URLs', { param });
}

/** A call's id as Ollama gives it (since 0.12.10), so the client's next turn names the call Ollama knows; made up for older ones. */
function callId(call: OllamaToolCall): string {
  const id: unknown = (call as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' && id.length <= 256 ? id : newToolCallId();
}

function toolCallsFrom(calls: OllamaToolCall[] | undefined, firstIndex = 0): (ToolCallOut & { index: number })[] {
  return (calls ?? []).map((call, i) => ({
    index: firstIndex + i,
    id: callId(call),
    type: 'function' as const,
    function: { name: call.function.name, arguments: JSON.stringify(call.function.arguments ?? {}) },
  }));
}

function finishReason(doneReason: string | undefined, sawToolCalls: boolean): 'stop' | 'length' | 'tool_calls' {
  if (sawToolCalls) return 'tool_calls';
  return doneReason === 'length' ? 'length' : 'stop';
}

function createdSeconds(createdAt: unknown): number {
  const ms = typeof createdAt === 'string' ? Date.parse(createdAt) : createdAt instanceof Date ? createdAt.getTime() : NaN;
  return Math.floor((Number.isFinite(ms) ? ms : Date.now()) / 1000);
}

function usageFrom(response: Pick<OllamaChatResponse, 'prompt_eval_count' | 'eval_count'>): NonNullable<ChatCompletion['usage']> {
  const prompt = response.prompt_eval_count ?? 0;
  const completion = response.eval_count ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function fromOllamaChat(response: OllamaChatResponse, id: string): ChatCompletion {
  const toolCalls = toolCallsFrom(response.message?.tool_calls).map(({ index: _index, ...call }) => call);
  const message: Message = {
    role: 'assistant',
    content: response.message?.content || (toolCalls.length > 0 ? null : (response.message?.content ?? '')),
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (response.message?.thinking) message.reasoning_content = response.message.thinking;
  // A model Ollama knows no thinking of writes its reasoning into the text (think-tags.ts).
  takeThinkingOut(message);
  return {
    id,
    object: 'chat.completion',
    created: createdSeconds(response.created_at),
    model: response.model,
    choices: [{ index: 0, message, logprobs: logprobsFromOllama(response.logprobs), finish_reason: finishReason(response.done_reason, toolCalls.length > 0) }],
    usage: usageFrom(response),
  };
}

/**
 * A stateful translator from Ollama stream events to chat-completion chunks. It always ends with a
 * usage-only chunk (the HTTP layer drops it when the client did not ask for usage).
 */
export function createOllamaChunkTranslator(id: string): (event: OllamaChatResponse) => ChatCompletionChunk[] {
  let sentRole = false;
  let toolCallCount = 0;
  let created = 0;
  const split = createThinkSplitter();
  return (event) => {
    created ||= createdSeconds(event.created_at);
    const base = { id, object: 'chat.completion.chunk' as const, created, model: event.model };
    const delta: Delta = {};
    if (!sentRole) {
      delta.role = 'assistant';
      sentRole = true;
    }
    const parts = split(event.message?.content ?? '', event.done === true);
    if (parts.content) delta.content = parts.content;
    const reasoning = (event.message?.thinking ?? '') + parts.reasoning;
    if (reasoning) delta.reasoning_content = reasoning;
    const calls = toolCallsFrom(event.message?.tool_calls, toolCallCount);
    if (calls.length > 0) {
      delta.tool_calls = calls;
      toolCallCount += calls.length;
    }
    const logprobs = logprobsFromOllama(event.logprobs);
    const chunks: ChatCompletionChunk[] = [];
    if (!event.done) {
      if (logprobs || Object.keys(delta).length > 0) chunks.push({ ...base, choices: [{ index: 0, delta, logprobs, finish_reason: null }] });
      return chunks;
    }
    chunks.push({
      ...base,
      choices: [{ index: 0, delta, logprobs, finish_reason: finishReason(event.done_reason, toolCallCount > 0) }],
    });
    chunks.push({ ...base, choices: [], usage: usageFrom(event) });
    return chunks;
  };
}

export interface OllamaGenerateBody {
  model: string;
  prompt?: string;
  suffix?: string;
  system?: string;
  images?: string[];
  /** The token ids an earlier answer returned (deprecated by Ollama). */
  context?: number[];
  format?: unknown;
  options?: Record<string, unknown>;
  raw?: boolean;
  keep_alive?: string | number;
  think?: boolean | string;
  stream?: boolean;
  logprobs?: boolean;
  top_logprobs?: number;
}

/**
 * A request in Ollama's own API (chat or generate) for an Ollama deployment: its model, and the
 * deployment's `options` and `keep_alive` under the client's own. Everything else (templates, raw
 * mode, fill-in-the-middle `suffix`, tools) stays as the client sent it, but a level of `think`.
 */
export function nativeBody(body: Record<string, unknown>, deployment: DeploymentConfig): Record<string, unknown> {
  const out = withDeploymentDefaults(body, deployment);
  if (body.think === undefined && deployment.think !== undefined) out.think = deployment.think;
  // A client's level (Open WebUI's, for gpt-oss) goes as one only where the model takes it, as above.
  else if (typeof body.think === 'string' && body.think !== '' && !thinksInLevels(deployment)) out.think = true;
  return out;
}

/**
 * Any request in Ollama's own API (an embedding one as it is) with the deployment's model, and its
 * `options` and `keep_alive` under the client's own: the larger window of the two.
 */
export function withDeploymentDefaults(body: Record<string, unknown>, deployment: DeploymentConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body, model: deployment.model };
  const asked = body.options as Record<string, unknown> | undefined;
  if (deployment.options || asked) {
    const options = { ...deployment.options, ...asked };
    if (typeof asked?.num_ctx === 'number') options.num_ctx = numCtxWith(deployment.options?.num_ctx, asked.num_ctx);
    out.options = options;
  }
  if (body.keep_alive === undefined && deployment.keepAlive !== undefined) out.keep_alive = keepAliveSent(deployment.keepAlive);
  return out;
}
