/**
 * Canonical (OpenAI chat) <-> Anthropic Messages, pure: the upstream codec of Anthropic providers.
 * Types come from the official `@anthropic-ai/sdk` (type-only imports). Requests that arrive in
 * the Messages API pass through instead; this is for every other front door.
 */
import type {
  ContentBlockParam,
  Message,
  MessageCreateParams as SdkMessageCreateParams,
  MessageParam,
  OutputConfig,
  RawMessageStreamEvent,
  Tool,
  ToolChoice,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { createHash } from 'node:crypto';
import type { DeploymentConfig } from '../config/schema';
import { ADAPTIVE_THINKING, claudeEfforts, SAMPLING_REMOVED } from '../models/claude';
import { nearestEffort } from '../models/efforts';
import { GatewayError, UpstreamError, failureForStatus } from '../errors';
import { anthropicUserBlocks } from './content-parts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, Delta, Message as ChatMessage } from './canonical';
import type { SignedThinking } from './signed-thinking';
import { stopsOf } from './stop-sequences';
import { toolsChosen, type ToolsChosen } from './tool-choice';

export type { Message as AnthropicMessage, RawMessageStreamEvent };

/**
 * A Messages request as translations send it: with `anthropic-version: 2023-06-01`, which still takes
 * `temperature` and `top_p`. The SDK's types follow version 2026-10-21, which refuses both.
 */
export type MessageCreateParams = SdkMessageCreateParams & { temperature?: number; top_p?: number };

/**
 * Anthropic answers need a token cap; clients of other APIs often send none, and get the model's
 * most from OpenAI. A Claude model whose most is known gets up to Claude Code's own default (an
 * agent's longest edit: Codex, Cline), where 4,096 cut its patches off; another gets 4,096.
 */
const DEFAULT_MAX_TOKENS = 4096;
const CLAUDE_DEFAULT_MAX_TOKENS = 32_000;
/** The smallest thinking budget Anthropic takes; a budget must also stay under `max_tokens`. */
const MIN_THINKING_BUDGET = 1024;

/** The largest thinking budget an answer of `maxTokens` leaves room for (and an answer after it). */
export function thinkingBudgetWithin(maxTokens: number): number {
  return Math.max(MIN_THINKING_BUDGET, maxTokens - MIN_THINKING_BUDGET);
}

/** Thinking budgets for OpenAI's reasoning efforts (the models that take a budget have no effort past xhigh's). */
export const THINKING_BUDGETS = { minimal: 1024, low: 1024, medium: 4096, high: 16384, xhigh: 32768, max: 32768 } as const;

type ChatMessageIn = ChatRequest['messages'][number];

/**
 * A canonical chat request as a Messages request for a deployment. `maxOutput`: the most tokens the
 * model writes, which caps `max_tokens` (and so the thinking budget under it).
 */
export function toMessagesRequest(request: ChatRequest, deployment: DeploymentConfig, maxOutput?: number): MessageCreateParams {
  const cap = (tokens: number) => (maxOutput === undefined ? tokens : Math.min(tokens, maxOutput));
  const system: string[] = [];
  const messages: MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    // Messages alternate user and assistant: consecutive turns of one role (tool results) merge.
    // A loop, not a spread: a turn may hold more blocks than a call takes arguments.
    if (last && last.role === role && Array.isArray(last.content)) for (const block of blocks) (last.content as ContentBlockParam[]).push(block);
    else messages.push({ role, content: blocks });
  };
  request.messages.forEach((message, i) => {
    if (message.role === 'system' || message.role === 'developer') system.push(textOf(message.content));
    else if (message.role === 'user') push('user', anthropicUserBlocks(message.content, i));
    else if (message.role === 'assistant') push('assistant', assistantBlocks(message, i));
    else if (message.role === 'tool') push('user', [toolResult(message.tool_call_id, textOf(message.content))]);
    else if (message.role === 'function') push('user', [toolResult(message.name, textOf(message.content))]);
  });
  const fallback = maxOutput !== undefined && deployment.model.startsWith('claude-') ? CLAUDE_DEFAULT_MAX_TOKENS : DEFAULT_MAX_TOKENS;
  const maxTokens = cap(request.max_completion_tokens ?? request.max_tokens ?? fallback);
  const body: MessageCreateParams = { model: deployment.model, max_tokens: maxTokens, messages };
  // Anthropic caches a prompt only when asked (OpenAI and the rest do it unasked): a chat client's
  // conversation, resent whole every turn, reads its prefix from the cache at a tenth of the price.
  if (deployment.model.startsWith('claude-')) body.cache_control = { type: 'ephemeral' };
  if (system.length > 0) body.system = system.join('\n\n');
  // Anthropic refuses a stop sequence of whitespace alone; the adapter applies those itself (stop-sequences.ts).
  const stops = stopsOf(request).filter((stop) => /\S/.test(stop));
  if (stops.length > 0) body.stop_sequences = stops;
  if (request.user) body.metadata = { user_id: request.user };
  // A named tool Anthropic forces itself, with every tool still offered (the prompt cache keeps them);
  // `allowed_tools` it has not, so only those are offered.
  const chosen = toolsChosen(request);
  const tools = (chosen.named === undefined ? chosen.allowed : chosen.offered).map((tool): Tool => ({ name: tool.function.name, ...(tool.function.description ? { description: tool.function.description } : {}), input_schema: (tool.function.parameters ?? { type: 'object', properties: {} }) as Tool['input_schema'] }));
  if (tools.length > 0) body.tools = tools;
  const choice = toolChoice(chosen, request.parallel_tool_calls);
  if (choice && tools.length > 0) body.tool_choice = choice;
  const effort = request.reasoning_effort;
  if (effort && effort !== 'none' && effort in THINKING_BUDGETS && !toolLoopWithoutThinking(messages)) {
    const budget = maxOutput === undefined ? THINKING_BUDGETS[effort as keyof typeof THINKING_BUDGETS] : Math.min(THINKING_BUDGETS[effort as keyof typeof THINKING_BUDGETS], thinkingBudgetWithin(maxOutput));
    if (ADAPTIVE_THINKING.test(deployment.model)) {
      body.thinking = { type: 'adaptive', display: 'summarized' };
      body.output_config = { ...body.output_config, effort: nearestEffort(effort, claudeEfforts(deployment.model)) as OutputConfig['effort'] };
    } else {
      body.thinking = { type: 'enabled', budget_tokens: budget };
    }
    // The answer's cap counts the thinking too.
    body.max_tokens = cap(Math.max(maxTokens, budget + MIN_THINKING_BUDGET));
  }
  // Anthropic takes a temperature from 0 to 1 (OpenAI's go to 2), or a top_p, not both; none while
  // the model thinks (it must then be 1), and none at all for the models that dropped them.
  if (!body.thinking && !SAMPLING_REMOVED.test(deployment.model)) {
    if (request.temperature != null) body.temperature = Math.min(1, request.temperature);
    else if (request.top_p != null) body.top_p = request.top_p;
  }
  const format = request.response_format;
  if (format?.type === 'json_schema' && format.json_schema.schema) body.output_config = { ...body.output_config, format: { type: 'json_schema', schema: format.json_schema.schema } };
  return request.stream ? ({ ...body, stream: true } as MessageCreateParams) : body;
}

/**
 * Whether the conversation is inside a tool loop whose turn began without thinking. Anthropic refuses
 * a request that thinks on a budget there ("a final `assistant` message must start with a thinking
 * block"), and a chat history carries no thinking blocks (signed-thinking.ts brings back what it can):
 * without this, every request after a tool call failed. That step goes without thinking, as the
 * error advises; adaptive thinking too, though Claude may skip it there itself: a step's thinking is
 * a small loss beside a refused turn.
 */
function toolLoopWithoutThinking(messages: MessageParam[]): boolean {
  const last = messages.findLastIndex((m) => m.role === 'assistant');
  const turn = messages[last];
  if (!turn || !Array.isArray(turn.content) || !turn.content.some((b) => b.type === 'tool_use')) return false;
  const first = turn.content[0]?.type;
  return first !== 'thinking' && first !== 'redacted_thinking' && messages.slice(last + 1).some((m) => Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result'));
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: { type?: string; text?: string; refusal?: string }) => p.text ?? p.refusal ?? '').join('');
  return '';
}

/**
 * A tool call's id as Anthropic takes it (`^[a-zA-Z0-9_-]+$`): other vendors' have dots and colons
 * (Kimi's `functions.Bash:0`), and Anthropic refuses the whole request for one. An id always becomes
 * the same one (a call and its result stay paired), and a changed one ends in a digest of the
 * original, so two different ids never become one.
 */
export function anthropicToolId(id: string): string {
  if (/^[\w-]+$/.test(id)) return id;
  return `${id.slice(0, 64).replace(/[^\w-]/g, '_')}_${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
}

function assistantBlocks(message: Extract<ChatMessageIn, { role: 'assistant' }>, index: number): ContentBlockParam[] {
  // The thinking Claude signed for this turn, back where the turn began (signed-thinking.ts).
  const blocks: ContentBlockParam[] = [...((message as { signed_thinking?: SignedThinking[] }).signed_thinking ?? [])];
  const text = textOf(message.content);
  if (text) blocks.push({ type: 'text', text });
  for (const call of message.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    blocks.push({ type: 'tool_use', id: anthropicToolId(call.id), name: call.function.name, input: parseInput(call.function.arguments, index) } satisfies ToolUseBlockParam);
  }
  return blocks;
}

function parseInput(text: string, index: number): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new GatewayError('invalid_request', 'tool call arguments must be a JSON object', { param: `messages[${index}].tool_calls` });
}

function toolResult(id: string, content: string): ToolResultBlockParam {
  return { type: 'tool_result', tool_use_id: anthropicToolId(id), content };
}

/** A named function as Anthropic's `{type: "tool"}`; what else a model must do as `any`, `none` or `auto`. */
function toolChoice({ mode, named }: ToolsChosen, parallel: boolean | null | undefined): ToolChoice | undefined {
  const serial = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (mode === 'none') return { type: 'none' };
  if (named !== undefined) return { type: 'tool', name: named, ...serial };
  if (mode === 'required') return { type: 'any', ...serial };
  return parallel === false ? { type: 'auto', ...serial } : undefined;
}


const FINISH: Record<string, ChatCompletion['choices'][number]['finish_reason']> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls', refusal: 'content_filter', model_context_window_exceeded: 'length' };

/** The stop sequence Anthropic says ended the answer, as a choice's `stop_reason` (canonical.ts: stopSequenceOf). */
function stoppedAt(said: { stop_reason?: string | null; stop_sequence?: string | null }): { stop_reason?: string } {
  return said.stop_reason === 'stop_sequence' && said.stop_sequence ? { stop_reason: said.stop_sequence } : {};
}

/** Anthropic's usage in canonical terms: prompt tokens count the cached ones too, as OpenAI's do. */
export function usageFrom(usage: { input_tokens?: number | null; output_tokens?: number | null; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null }): NonNullable<ChatCompletion['usage']> {
  const read = usage.cache_read_input_tokens ?? 0;
  const written = usage.cache_creation_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + read + written;
  const completion = usage.output_tokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: read }, ...(written ? { cache_creation_input_tokens: written } : {}) } as NonNullable<ChatCompletion['usage']>;
}

export function fromMessage(message: Message): ChatCompletion {
  let content = '';
  let reasoning = '';
  const signed: SignedThinking[] = [];
  const toolCalls: NonNullable<ChatMessage['tool_calls']> = [];
  for (const block of message.content) {
    if (block.type === 'text') content += block.text;
    else if (block.type === 'thinking') {
      reasoning += block.thinking;
      if (block.signature) signed.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    } else if (block.type === 'redacted_thinking') signed.push({ type: 'redacted_thinking', data: block.data });
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
  }
  const out: ChatMessage = { role: 'assistant', content: toolCalls.length > 0 && !content ? null : content, refusal: null };
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  if (reasoning) out.reasoning_content = reasoning;
  if (signed.length > 0) (out as ChatMessage & { signed_thinking?: SignedThinking[] }).signed_thinking = signed;
  return {
    id: message.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: message.model,
    choices: [{ index: 0, message: out, logprobs: null, finish_reason: FINISH[message.stop_reason ?? ''] ?? 'stop', ...stoppedAt(message) }],
    usage: usageFrom(message.usage),
  };
}

/** The end of a Messages stream; an `error` event is a failure of the deployment. */
export const MESSAGES_END = { name: 'message_stop', isEnd: (event: { event: string | undefined }) => event.event === 'message_stop' };

/** Anthropic's mid-stream `error` event, as the failure it reports (overloaded: the deployment's 5xx). */
const ERROR_TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

export function streamError(providerName: string, data: { error?: { type?: string; message?: string } }): UpstreamError {
  const type = data.error?.type ?? 'api_error';
  const body = { message: data.error?.message ?? type, type };
  // The same classes as the status each error type comes with over HTTP.
  const status = ERROR_TYPE_STATUS[type] ?? 500;
  // The status goes with it, so a Messages client is told the same type (an overload stays an overload).
  return new UpstreamError(failureForStatus(status, body), `${providerName} failed mid-stream: ${body.message}`, { status, upstreamError: body });
}

/**
 * A stateful translator from Messages stream events to canonical chunks: text, thinking and tool
 * calls (each tool_use block its own tool-call index, its input streamed as argument fragments),
 * the stop reason, and a last usage-only chunk.
 */
export function createMessagesChunkTranslator(id: string): (event: RawMessageStreamEvent) => ChatCompletionChunk[] {
  let model = '';
  const created = Math.floor(Date.now() / 1000);
  let usage = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  /** Content block index -> tool-call index. */
  const tools = new Map<number, number>();
  /** Content block index -> the thinking block as it comes, passed on signed when it ends. */
  const thinking = new Map<number, { thinking: string; signature: string }>();
  const chunk = (delta: Delta, finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  return (event) => {
    switch (event.type) {
      case 'message_start':
        model = event.message.model;
        usage = { ...usage, ...stripNulls(event.message.usage) };
        return [chunk({ role: 'assistant', content: '' })];
      case 'content_block_start':
        if (event.content_block.type === 'thinking') thinking.set(event.index, { thinking: '', signature: '' });
        if (event.content_block.type === 'redacted_thinking') return [chunk({ signed_thinking: [{ type: 'redacted_thinking', data: event.content_block.data }] })];
        if (event.content_block.type !== 'tool_use') return [];
        tools.set(event.index, tools.size);
        return [chunk({ tool_calls: [{ index: tools.size - 1, id: event.content_block.id, type: 'function', function: { name: event.content_block.name, arguments: '' } }] })];
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') return [chunk({ content: delta.text })];
        if (delta.type === 'thinking_delta') {
          const block = thinking.get(event.index);
          if (block) block.thinking += delta.thinking;
          return [chunk({ reasoning_content: delta.thinking })];
        }
        if (delta.type === 'signature_delta') {
          const block = thinking.get(event.index);
          if (block) block.signature += delta.signature;
          return [];
        }
        if (delta.type === 'input_json_delta') {
          const index = tools.get(event.index);
          return index === undefined ? [] : [chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] })];
        }
        return [];
      }
      case 'content_block_stop': {
        const block = thinking.get(event.index);
        thinking.delete(event.index);
        return block?.signature ? [chunk({ signed_thinking: [{ type: 'thinking', ...block }] })] : [];
      }
      case 'message_delta': {
        usage = { ...usage, ...stripNulls(event.usage) };
        const finished = chunk({}, FINISH[event.delta.stop_reason ?? ''] ?? 'stop');
        Object.assign(finished.choices[0]!, stoppedAt(event.delta));
        return [finished];
      }
      case 'message_stop':
        return [{ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageFrom(usage) }];
      default:
        return [];
    }
  };
}

function stripNulls<T extends object>(value: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<{ [K in keyof T]: NonNullable<T[K]> }>;
}
