/**
 * The Messages front door's codec, pure: a Messages request (as Claude Code and the Anthropic SDK
 * send it) to the canonical chat shape for upstreams that do not speak Messages, and canonical
 * answers back as a Message or as Messages stream events. Upstreams that speak Messages get the
 * request itself (pass-through); nothing here touches those.
 */
import type {
  ContentBlock,
  Message,
  MessageDeltaUsage,
  RawMessageStreamEvent,
  StopReason,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';
import { createHash } from 'node:crypto';
import type { ProviderConfig } from '../../config/schema';
import { GatewayError } from '../../errors';
import type { WireError } from '../../http/wire-errors';
import { gatherToolCalls, inCallOrder, type ChatCompletion, type ChatCompletionChunk, type ChatRequest, type Delta, type GatheredCall, type Message as ChatMessage } from '../../wire/canonical';
import { anthropicToolId } from '../../wire/anthropic';
import { newCompletionId, newToolUseId } from '../../wire/ids';

type Block = { type: string; [key: string]: unknown };
type InMessage = { role: string; content: string | Block[] };
/** The Messages request fields this codec reads; the rest pass through only to Messages upstreams. */
export interface MessagesBody {
  model: string;
  max_tokens?: number;
  messages: InMessage[];
  system?: string | Block[];
  tools?: { name: string; description?: string; input_schema?: unknown; type?: string | null }[];
  tool_choice?: { type: 'auto' | 'any' | 'tool' | 'none'; name?: string; disable_parallel_tool_use?: boolean };
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  metadata?: { user_id?: string | null };
  thinking?: { type: 'enabled' | 'disabled' | 'adaptive' | string; budget_tokens?: number };
  output_config?: { effort?: string | null; format?: { type: string; schema?: unknown } | null };
  stream?: boolean;
}

/** A Messages request as a canonical chat request, for an upstream of `target` kind. */
export function messagesToChat(body: MessagesBody, target: ProviderConfig['kind']): ChatRequest {
  const messages: ChatRequest['messages'] = [];
  const system = textOf(body.system);
  if (system) messages.push({ role: 'system', content: system });
  body.messages.forEach((message, i) => {
    if (message.role === 'system') messages.push({ role: 'system', content: textOf(message.content) });
    else if (message.role === 'assistant') messages.push(assistant(message.content));
    else messages.push(...user(message.content, i));
  });
  const request: ChatRequest = { model: body.model, messages };
  if (body.max_tokens != null) request.max_tokens = body.max_tokens;
  if (body.stop_sequences?.length) request.stop = body.stop_sequences;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.top_p = body.top_p;
  // top_k has no OpenAI field (OpenAI refuses unknown ones); an Ollama upstream takes it as an option.
  if (body.top_k != null && target === 'ollama') (request as ChatRequest & { top_k?: number }).top_k = body.top_k;
  if (body.metadata?.user_id) request.user = endUserId(body.metadata.user_id);
  const tools = (body.tools ?? []).filter((t) => t.type == null || t.type === 'custom');
  if (tools.length > 0) {
    request.tools = tools.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: (t.input_schema ?? { type: 'object', properties: {} }) as Record<string, unknown> } }));
    const choice = body.tool_choice;
    if (choice?.type === 'any') request.tool_choice = 'required';
    else if (choice?.type === 'none') request.tool_choice = 'none';
    else if (choice?.type === 'tool' && choice.name) request.tool_choice = { type: 'function', function: { name: choice.name } };
    if (choice?.disable_parallel_tool_use) request.parallel_tool_calls = false;
  }
  const effort = reasoningEffort(body);
  if (effort) request.reasoning_effort = effort;
  const format = body.output_config?.format;
  if (format?.type === 'json_schema' && format.schema) request.response_format = { type: 'json_schema', json_schema: { name: 'response', schema: format.schema as Record<string, unknown> } };
  return body.stream ? ({ ...request, stream: true } as ChatRequest) : request;
}

/**
 * Claude Code's `metadata.user_id` (its device, account and session) runs past 150 characters;
 * OpenAI-compatible servers cap the `user` it becomes (OpenRouter at 128, OpenAI's `safety_identifier`
 * at 64) and refuse the whole request past it. A longer one goes as a digest: as stable per user.
 */
function endUserId(id: string): string {
  return id.length <= 64 ? id : `sha256:${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

/** Extended thinking as a reasoning effort: its own (OpenAI's have the same names), or its budget sorted into low, medium or high. */
function reasoningEffort(body: MessagesBody): ChatRequest['reasoning_effort'] | undefined {
  const explicit = body.output_config?.effort;
  if (explicit === 'low' || explicit === 'medium' || explicit === 'high' || explicit === 'xhigh' || explicit === 'max') return explicit;
  const thinking = body.thinking;
  if (!thinking || thinking.type === 'disabled') return thinking?.type === 'disabled' ? 'none' : undefined;
  if (thinking.type === 'enabled') {
    const budget = thinking.budget_tokens ?? 0;
    return budget <= 2048 ? 'low' : budget <= 8192 ? 'medium' : 'high';
  }
  return 'medium';
}

function textOf(content: string | Block[] | undefined): string {
  if (typeof content === 'string') return content;
  return (content ?? []).flatMap((b) => (b.type === 'text' ? [String(b.text ?? '')] : [])).join('\n');
}

/** A tool result's content (the schema leaves a block's fields open): a string or blocks, else refused with its path. */
function toolResultBlocks(content: unknown, at: string): string | Block[] {
  if (content === undefined || content === null) return '';
  if (typeof content !== 'string' && (!Array.isArray(content) || content.some((b) => typeof b !== 'object' || b === null || Array.isArray(b)))) {
    throw new GatewayError('invalid_request', `${at} must be a string or an array of content blocks`, { param: at });
  }
  return content as string | Block[];
}

/** An image block as a chat image part (a data URL for base64), refused with its path when it holds neither. */
function imagePart(block: Block, at: string): ImagePart {
  const source = block.source as { type?: string; media_type?: string; data?: string; url?: string } | null;
  const url = source?.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source?.url;
  // Anthropic's error body has no param: the message names the field.
  if (!url) throw new GatewayError('invalid_request', `${at}.source must hold an image as base64 data or a URL`, { param: `${at}.source` });
  return { type: 'image_url', image_url: { url } };
}

type ImagePart = { type: 'image_url'; image_url: { url: string } };

/**
 * A user turn: its tool results become tool messages (first: in the chat API they must follow the
 * assistant's calls at once), then its text and images as one user message. A tool message holds
 * text only, so the images a tool returned (Claude Code reading a screenshot) go in that user
 * message, each after a line that says which call's it is.
 */
function user(content: string | Block[], index: number): ChatRequest['messages'] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const out: ChatRequest['messages'] = [];
  const returned: ({ type: 'text'; text: string } | ImagePart)[] = [];
  const parts: ({ type: 'text'; text: string } | ImagePart)[] = [];
  content.forEach((block, j) => {
    const at = `messages[${index}].content[${j}]`;
    if (block.type === 'tool_result') {
      const result = toolResultBlocks(block.content, `${at}.content`);
      const text = textOf(result);
      out.push({ role: 'tool', tool_call_id: String(block.tool_use_id), content: block.is_error ? `Error: ${text}` : text });
      const images = typeof result === 'string' ? [] : result.flatMap((b, k) => (b.type === 'image' ? [imagePart(b, `${at}.content[${k}]`)] : []));
      if (images.length > 0) returned.push({ type: 'text', text: `The image${images.length > 1 ? 's' : ''} the tool call ${String(block.tool_use_id)} returned:` }, ...images);
    } else if (block.type === 'text') {
      parts.push({ type: 'text', text: String(block.text ?? '') });
    } else if (block.type === 'image') {
      parts.push(imagePart(block, at));
    } else {
      throw new GatewayError('needs_native_api', `content block type "${block.type}" can only go to a deployment that speaks the Messages API`, { param: `messages[${index}].content[${j}].type` });
    }
  });
  parts.unshift(...returned);
  if (parts.length > 0) {
    const texts = parts.flatMap((p) => (p.type === 'text' ? [p.text] : []));
    out.push({ role: 'user', content: texts.length === parts.length ? texts.join('\n') : parts });
  }
  return out;
}

/** An assistant turn: text, its thinking kept as reasoning (models that reason want it back), tool calls. */
function assistant(content: string | Block[]): ChatRequest['messages'][number] {
  if (typeof content === 'string') return { role: 'assistant', content };
  let text = '';
  let reasoning = '';
  const calls: NonNullable<ChatMessage['tool_calls']> = [];
  for (const block of content) {
    if (block.type === 'text') text += String(block.text ?? '');
    else if (block.type === 'thinking') reasoning += String(block.thinking ?? '');
    else if (block.type === 'tool_use') calls.push({ id: String(block.id), type: 'function', function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) } });
  }
  return { role: 'assistant', content: calls.length > 0 && !text ? null : text, ...(calls.length > 0 ? { tool_calls: calls } : {}), ...(reasoning ? { reasoning_content: reasoning } : {}) } as ChatRequest['messages'][number];
}

const STOP: Record<string, StopReason> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use', function_call: 'tool_use', content_filter: 'refusal' };

/** Canonical usage in Anthropic's terms: input tokens exclude the cached ones, which are counted apart. */
export function anthropicUsage(usage: ChatCompletion['usage'] | null | undefined): Usage {
  const read = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const written = (usage as { cache_creation_input_tokens?: number } | undefined)?.cache_creation_input_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - read - written),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_read_input_tokens: read,
    cache_creation_input_tokens: written,
    cache_creation: null,
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: null,
    speed: null,
  };
}

export function newMessageId(): string {
  return newCompletionId().replace('chatcmpl-', 'msg_');
}

/** A canonical completion as a Message. */
export function completionToMessage(completion: ChatCompletion, model: string): Message {
  const choice = completion.choices[0];
  const message = choice?.message as ChatMessage | undefined;
  const content: ContentBlock[] = [];
  if (message?.reasoning_content) content.push({ type: 'thinking', thinking: message.reasoning_content, signature: '' });
  if (message?.content) content.push({ type: 'text', text: message.content, citations: null });
  for (const call of message?.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    content.push({ type: 'tool_use', id: call.id ? anthropicToolId(call.id) : newToolUseId(), name: call.function.name, input: parseArguments(call.function.arguments), caller: { type: 'direct' } });
  }
  return {
    id: newMessageId(),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: STOP[choice?.finish_reason ?? 'stop'] ?? 'end_turn',
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: anthropicUsage(completion.usage),
  };
}

function parseArguments(text: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { arguments: text };
  }
}

/**
 * Canonical chunks as Messages stream events: `message_start`, then content blocks (thinking, text)
 * streamed as they come, then every tool call as a whole `tool_use` block in call order (its input
 * complete in one `input_json_delta`, never `{}`; parallel calls keep their own blocks even when
 * their fragments arrive interleaved), then `message_delta` with the stop reason and usage, then
 * `message_stop`.
 */
export function createMessageEventWriter(model: string) {
  const id = newMessageId();
  let started = false;
  let open: { index: number; type: 'thinking' | 'text' } | undefined;
  let nextIndex = 0;
  let finish: string | null = null;
  let usage: ChatCompletion['usage'] | null = null;
  const calls = new Map<number, GatheredCall>();
  const out: RawMessageStreamEvent[] = [];
  const start = () => {
    if (started) return;
    started = true;
    out.push({
      type: 'message_start',
      message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, stop_details: null, container: null, diagnostics: null, usage: anthropicUsage(null) },
    });
    // Anthropic sends a ping after message_start; clients that count on it get one.
    out.push({ type: 'ping' } as unknown as RawMessageStreamEvent);
  };
  const close = () => {
    if (!open) return;
    out.push({ type: 'content_block_stop', index: open.index });
    open = undefined;
  };
  const block = (type: 'thinking' | 'text') => {
    if (open?.type === type) return open.index;
    close();
    open = { index: nextIndex++, type };
    out.push({ type: 'content_block_start', index: open.index, content_block: type === 'text' ? { type: 'text', text: '', citations: null } : { type: 'thinking', thinking: '', signature: '' } });
    return open.index;
  };
  const drain = () => out.splice(0);
  return {
    id,
    events(chunk: ChatCompletionChunk): RawMessageStreamEvent[] {
      start();
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices) {
        const delta = choice.delta as Delta;
        if (delta.reasoning_content) out.push({ type: 'content_block_delta', index: block('thinking'), delta: { type: 'thinking_delta', thinking: delta.reasoning_content } });
        if (delta.content) out.push({ type: 'content_block_delta', index: block('text'), delta: { type: 'text_delta', text: delta.content } });
        gatherToolCalls(calls, delta);
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      return drain();
    },
    finish(): RawMessageStreamEvent[] {
      start();
      close();
      for (const call of inCallOrder(calls)) {
        const index = nextIndex++;
        out.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id ? anthropicToolId(call.id) : newToolUseId(), name: call.name, input: {}, caller: { type: 'direct' } } });
        out.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(parseArguments(call.arguments)) } });
        out.push({ type: 'content_block_stop', index });
      }
      const final = anthropicUsage(usage);
      const deltaUsage: MessageDeltaUsage = { input_tokens: final.input_tokens, output_tokens: final.output_tokens, cache_read_input_tokens: final.cache_read_input_tokens, cache_creation_input_tokens: final.cache_creation_input_tokens, output_tokens_details: null, server_tool_use: null };
      out.push({ type: 'message_delta', delta: { stop_reason: calls.size > 0 ? 'tool_use' : (STOP[finish ?? 'stop'] ?? 'end_turn'), stop_sequence: null, stop_details: null, container: null }, usage: deltaUsage });
      out.push({ type: 'message_stop' });
      return drain();
    },
  };
}

/** An error as Anthropic's API writes one. */
export const anthropicErrorBody = (wire: WireError) => ({ type: 'error', error: { type: anthropicErrorType(wire.status), message: wire.message } });

/** Messages' error types by HTTP status. */
export function anthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
