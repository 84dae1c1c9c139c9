/**
 * Anthropic's Messages wire for the fake upstreams (the fake Anthropic, and Ollama's /v1/messages):
 * a fake answer as a Message or as its stream of events, typed against `@anthropic-ai/sdk`, so the
 * fakes speak exactly what Anthropic's own SDK reads.
 */
import type { ServerResponse } from 'node:http';
import type { ContentBlock, Message, RawMessageStreamEvent, TextBlock, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { FailureMode, RecordedRequest } from './fake-server';
import { resetAfterFlush, sendJson } from './fake-server';
import { cutAtStop, replyFor, wordsOf } from './replies';

let counter = 0;

/** The text a Messages request sends, for a deterministic token count. */
export function promptOf(body: any): string {
  const system = typeof body.system === 'string' ? body.system : (body.system ?? []).map((b: any) => b.text ?? '').join('');
  const messages = (body.messages ?? []).map((m: any) => (typeof m.content === 'string' ? m.content : m.content.map((b: any) => b.text ?? b.content ?? '').join(''))).join('');
  return system + messages;
}

/** Prompt-cache accounting: a request that marks blocks with cache_control (or asks for it at the top, to mark its last block) reads most of its prompt from the cache. */
function usageFor(body: any, outputTokens: number): Usage {
  const marks = JSON.stringify([body.cache_control ?? null, body.system ?? null, body.messages ?? [], body.tools ?? []]);
  const marked = body.cache_control?.type === 'ephemeral' || marks.includes('"cache_control"');
  // Written for an hour where a mark asks for it (`ttl: "1h"`), as Anthropic splits the writes.
  const hour = marks.includes('"ttl":"1h"');
  return {
    input_tokens: 12,
    output_tokens: outputTokens,
    cache_read_input_tokens: marked ? 80 : 0,
    cache_creation_input_tokens: marked ? 20 : 0,
    cache_creation: marked ? { ephemeral_5m_input_tokens: hour ? 0 : 20, ephemeral_1h_input_tokens: hour ? 20 : 0 } : null,
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    speed: null,
  };
}

/** Models that think only adaptively, as Anthropic's Opus 4.7 on do: a token budget is refused, and thinking text is omitted unless asked for. */
const ADAPTIVE_ONLY = /^claude-(?:opus-4-[7-9]|(?:opus|sonnet|haiku)-[5-9]|fable|mythos)/;
/** Models that think adaptively at all: Opus and Sonnet 4.6 on; the ones before know only a budget. */
const ADAPTIVE = /^claude-(?:(?:opus|sonnet)-4-[6-9]|(?:opus|sonnet|haiku)-[5-9]|fable|mythos)/;
/** Models that take a system message inside `messages`: Claude 4.8 on. */
const INLINE_SYSTEM = /^claude-(?:(?:opus|sonnet|haiku)-4-[89]|(?:opus|sonnet|haiku)-[5-9]|fable|mythos)/;
/** The efforts each model has, as Anthropic documents them: xhigh came with Opus 4.7, max with 4.6; Opus 4.5 has low to high, the others none. */
function effortsOf(model: string): string[] {
  if (ADAPTIVE_ONLY.test(model)) return ['low', 'medium', 'high', 'xhigh', 'max'];
  if (ADAPTIVE.test(model)) return ['low', 'medium', 'high', 'max'];
  return model.startsWith('claude-opus-4-5') ? ['low', 'medium', 'high'] : [];
}

/** A thinking block's signature, bound (as Anthropic's are) to the model that wrote it. */
export function signatureFor(model: string): string {
  return `EqQBCgIYAhIM${Buffer.from(model).toString('base64url')}.${(++counter).toString(36)}`;
}

/** The model a signature was made for, if the fake made it. */
export function signerOf(signature: unknown): string | undefined {
  const match = typeof signature === 'string' ? /^EqQBCgIYAhIM([\w-]+)\.\w+$/.exec(signature) : null;
  return match ? Buffer.from(match[1]!, 'base64url').toString() : undefined;
}

/** What Anthropic's request validation refuses in a history: an empty text block, a text that is not a string, a tool id outside its pattern. */
export function historyRefusal(body: any): string | undefined {
  const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
  const pattern = /^[a-zA-Z0-9_-]+$/;
  for (const [i, message] of messages.entries()) {
    // Mid-conversation system messages: Claude 4.8 on, never first.
    if (message.role === 'system' && (i === 0 || !INLINE_SYSTEM.test(String(body.model)))) return `messages.${i}: Unexpected role "system". The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`;
    for (const [j, block] of (Array.isArray(message.content) ? message.content : []).entries()) {
      if (block?.type === 'text' && block.text === '') return 'messages: text content blocks must be non-empty';
      if (block?.type === 'text' && typeof block.text !== 'string') return `messages.${i}.content.${j}.text.text: Input should be a valid string`;
      const inner: any[] = block?.type === 'tool_result' && Array.isArray(block.content) ? block.content : [];
      const bad = inner.findIndex((b) => b?.type === 'text' && typeof b.text !== 'string');
      if (bad >= 0) return `messages.${i}.content.${j}.tool_result.content.${bad}.text.text: Input should be a valid string`;
      if (block?.type === 'tool_use' && !pattern.test(String(block.id))) return `messages.${i}.content.${j}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`;
      if (block?.type === 'tool_result' && !pattern.test(String(block.tool_use_id))) return `messages.${i}.content.${j}.tool_result.tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$'`;
    }
  }
  return undefined;
}

/**
 * Why Anthropic would refuse a request's thinking history, in its words: a thinking block another
 * model signed (or no one), or a thinking request whose last turn called tools without its thinking.
 */
export function thinkingRefusal(body: any): string | undefined {
  const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
  for (const [i, message] of messages.entries()) {
    for (const [j, block] of (Array.isArray(message.content) ? message.content : []).entries()) {
      if (block?.type === 'thinking' && signerOf(block.signature) !== body.model) return `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
    }
  }
  // As Anthropic refuses thinking beside a tool choice that forces a call.
  if ((body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive') && (body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool')) return 'Thinking may not be enabled when tool_choice forces tool use.';
  const last = messages.findLastIndex((m) => m.role === 'assistant');
  const turn = messages[last];
  // Thinking on a budget always begins a turn; adaptive thinking may skip it, so Anthropic asks it back only on a budget.
  const thinks = body.thinking?.type === 'enabled';
  const loop = Array.isArray(turn?.content) && turn.content.some((b: any) => b.type === 'tool_use') && messages.slice(last + 1).some((m) => Array.isArray(m.content) && m.content.some((b: any) => b.type === 'tool_result'));
  if (thinks && loop && turn.content[0]?.type !== 'thinking' && turn.content[0]?.type !== 'redacted_thinking') {
    return `messages.${last}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${turn.content[0]?.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`;
  }
  return undefined;
}

/** The fake's answer to a Messages request, as the Message Anthropic would send. */
export function messageFor(body: any): Message {
  const adaptiveOnly = ADAPTIVE_ONLY.test(String(body.model));
  const thinks = body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive';
  const answer = replyFor(body.messages ?? [], body.tools, { reasoning: thinks });
  const cut = cutAtStop(answer.content, body.stop_sequences);
  answer.content = cut.text;
  const content: ContentBlock[] = [];
  const shown = !adaptiveOnly || body.thinking?.display === 'summarized';
  if (answer.reasoning) content.push({ type: 'thinking', thinking: shown ? answer.reasoning : '', signature: signatureFor(String(body.model)) });
  // Anthropic leaves `citations` out where there are none (the SDK's type says null).
  if (answer.content) content.push({ type: 'text', text: answer.content } as TextBlock);
  answer.toolCalls.forEach((call, i) => content.push({ type: 'tool_use', id: `toolu_fake${++counter}_${i}`, name: call.name, input: JSON.parse(call.arguments), caller: { type: 'direct' } }));
  return {
    id: `msg_fake${++counter}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: answer.toolCalls.length > 0 ? 'tool_use' : cut.stop !== undefined ? 'stop_sequence' : 'end_turn',
    stop_sequence: cut.stop ?? null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: usageFor(body, answer.toolCalls.length > 0 ? 9 : wordsOf(answer.content).length),
  };
}

/** A message as Anthropic streams it: text word by word, thinking then its signature, tool input in fragments. */
export function eventsFor(message: Message): RawMessageStreamEvent[] {
  const events: RawMessageStreamEvent[] = [
    { type: 'message_start', message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } } },
    { type: 'ping' } as unknown as RawMessageStreamEvent,
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } as TextBlock });
      for (const word of wordsOf(block.text)) events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: word } });
    } else if (block.type === 'thinking') {
      events.push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: block.thinking } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } });
    } else if (block.type === 'tool_use') {
      const json = JSON.stringify(block.input);
      events.push({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
      for (const part of [json.slice(0, 6), json.slice(6)]) events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part } });
    }
    events.push({ type: 'content_block_stop', index });
  });
  const u = message.usage;
  events.push({
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence, stop_details: null, container: null },
    usage: { input_tokens: u.input_tokens, output_tokens: u.output_tokens, cache_read_input_tokens: u.cache_read_input_tokens, cache_creation_input_tokens: u.cache_creation_input_tokens, output_tokens_details: null, server_tool_use: null },
  });
  events.push({ type: 'message_stop' });
  return events;
}

/** Models that refuse every sampling parameter, as Opus 4.7 on do; and those that take a temperature or a top_p, not both. */
const SAMPLING_REMOVED = /^claude-(?:opus-4-[7-9]|(?:opus|sonnet|haiku)-[5-9]|fable|mythos)/;
const ONE_OF_TEMPERATURE_TOP_P = /^claude-(?:opus-4-[1-9]|sonnet-4-[5-9]|haiku-4-[5-9])/;

/** Why Anthropic would refuse a request's sampling parameters, in its words, if it would. */
function samplingRefusal(request: RecordedRequest): string | undefined {
  const body = request.body as { model?: unknown; temperature?: unknown; top_p?: unknown; top_k?: unknown; thinking?: { type?: string } };
  const sent = (['temperature', 'top_p', 'top_k'] as const).filter((key) => body[key] !== undefined);
  if (sent.length === 0) return undefined;
  // API version 2026-10-21 (the SDK's default from 1.0) took them out of the API.
  if (request.headers['anthropic-version'] === '2026-10-21') return `${sent[0]}: Extra inputs are not permitted`;
  const model = String(body.model);
  if (SAMPLING_REMOVED.test(model)) return `\`${sent[0]}\` is deprecated for this model.`;
  if (body.temperature !== undefined && body.top_p !== undefined && ONE_OF_TEMPERATURE_TOP_P.test(model)) return '`temperature` and `top_p` cannot both be specified for this model. Please use only one.';
  if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 1)) return 'temperature: Input should be less than or equal to 1';
  if (body.thinking?.type === 'enabled' && body.temperature !== undefined && body.temperature !== 1) return '`temperature` may only be set to 1 when thinking is enabled.';
  return undefined;
}

/** The most output tokens some models write, as Anthropic documents them. */
const MAX_OUTPUT: Record<string, number> = { 'claude-opus-4-1': 32_000, 'claude-sonnet-4-5': 64_000, 'claude-haiku-4-5': 64_000 };

/** Why Anthropic would refuse a request's answer limit or thinking budget, in its words, if it would. */
function limitRefusal(request: RecordedRequest): string | undefined {
  const body = request.body as { model?: unknown; max_tokens?: unknown; thinking?: { type?: string; budget_tokens?: unknown } };
  const model = String(body.model);
  const most = Object.entries(MAX_OUTPUT).find(([prefix]) => model.startsWith(prefix))?.[1];
  if (typeof body.max_tokens === 'number' && most !== undefined && body.max_tokens > most) {
    return `max_tokens: ${body.max_tokens} > ${most}, which is the maximum allowed number of output tokens for ${model}`;
  }
  const budget = body.thinking?.type === 'enabled' ? body.thinking.budget_tokens : undefined;
  if (typeof budget === 'number' && typeof body.max_tokens === 'number' && budget >= body.max_tokens) return '`max_tokens` must be greater than `thinking.budget_tokens`.';
  return undefined;
}

/** Anthropic's error body for a status. */
export function anthropicError(status: number, message = `fake upstream error ${status}`) {
  const type = status === 401 ? 'authentication_error' : status === 404 ? 'not_found_error' : status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  return { type: 'error', error: { type, message }, request_id: `req_fake${++counter}` };
}

/** Answers POST /v1/messages in the fake's current mode: JSON, or SSE cut or broken as the mode says. */
export async function answerMessages(request: RecordedRequest, res: ServerResponse, mode: FailureMode, chunkDelayMs = 0): Promise<void> {
  if (mode.kind === 'status') return sendJson(res, mode.status, mode.body ?? anthropicError(mode.status), mode.retryAfter ? { 'retry-after': mode.retryAfter } : {});
  if (request.body.thinking?.type === 'enabled' && ADAPTIVE_ONLY.test(String(request.body.model))) {
    return sendJson(res, 400, anthropicError(400, '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.'));
  }
  if (request.body.thinking?.type === 'adaptive' && /^claude-/.test(String(request.body.model)) && !ADAPTIVE.test(String(request.body.model))) {
    return sendJson(res, 400, anthropicError(400, 'thinking.type: adaptive thinking is not supported for this model. Use "thinking.type.enabled" with "budget_tokens".'));
  }
  const effort = (request.body as { output_config?: { effort?: unknown } }).output_config?.effort;
  if (effort !== undefined && /^claude-/.test(String(request.body.model)) && !effortsOf(String(request.body.model)).includes(String(effort))) {
    return sendJson(res, 400, anthropicError(400, `output_config.effort: "${String(effort)}" is not supported by this model.`));
  }
  // Anthropic's rule for stop sequences.
  if ((request.body.stop_sequences ?? []).some((stop: unknown) => typeof stop === 'string' && !/\S/.test(stop))) {
    return sendJson(res, 400, anthropicError(400, 'stop_sequences: each stop sequence must contain non-whitespace'));
  }
  const refused = samplingRefusal(request) ?? limitRefusal(request);
  if (refused) return sendJson(res, 400, anthropicError(400, refused));
  const message = messageFor(request.body);
  if (request.body.stream !== true) return sendJson(res, 200, message, { 'request-id': `req_${message.id}` });
  const events = eventsFor(message);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const limit = mode.kind === 'reset-mid-stream' || mode.kind === 'truncated' || mode.kind === 'error-event' ? mode.chunks : events.length;
  for (let i = 0; i < Math.min(limit, events.length); i++) {
    if (res.destroyed) return;
    const event = events[i] as RawMessageStreamEvent;
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    if (chunkDelayMs) await new Promise((r) => setTimeout(r, chunkDelayMs));
  }
  // As Anthropic reports an overload after the stream began (often right after message_start).
  if (mode.kind === 'error-event') res.end(`event: error\ndata: ${JSON.stringify(mode.event ?? { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`);
  else if (mode.kind === 'reset-mid-stream') resetAfterFlush(res);
  else if (mode.kind !== 'open-after-end') res.end();
}
