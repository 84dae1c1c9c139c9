/**
 * Canonical chat answers as the Messages front door gives them, pure: a whole Message, or Messages
 * stream events written as the chunks come; and errors in Anthropic's shape.
 */
import type { ContentBlock, Message, MessageDeltaUsage, RawMessageStreamEvent, RedactedThinkingBlock, StopReason, TextBlock, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { WireError } from '../../http/wire-errors';
import { argumentsObject, gatherToolCalls, inCallOrder, stopSequenceOf, type ChatCompletion, type ChatCompletionChunk, type Delta, type GatheredCall, type Message as ChatMessage } from '../../wire/canonical';
import { anthropicToolId } from '../../wire/anthropic';
import { newCompletionId, newToolUseId } from '../../wire/ids';
import { UNSIGNED, type SignedThinking } from '../../wire/signed-thinking';

const STOP: Record<string, StopReason> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use', function_call: 'tool_use', content_filter: 'refusal' };

/**
 * How an answer ended, in Messages terms: at one of the request's stop sequences, named, where the
 * upstream or the gateway's own cut says which (an answer that only says `stop` ended its turn).
 */
function stopOf(finish: string | null | undefined, said: string | undefined, stops: readonly string[]): { stop_reason: StopReason; stop_sequence: string | null } {
  if ((finish ?? 'stop') === 'stop' && said !== undefined && stops.includes(said)) return { stop_reason: 'stop_sequence', stop_sequence: said };
  return { stop_reason: STOP[finish ?? 'stop'] ?? 'end_turn', stop_sequence: null };
}

/** Canonical usage in Anthropic's terms: input tokens exclude the cached ones, which are counted apart. */
function anthropicUsage(usage: ChatCompletion['usage'] | null | undefined): Usage {
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

/**
 * A text block as Anthropic writes one: with no `citations` where there are none. The SDK's type
 * has the field (null), but the API leaves it out, and the AI SDK's Anthropic provider refuses a
 * Message whose text block says `citations: null` (CherryHQ/cherry-studio#13769).
 */
const textBlock = (text: string): TextBlock => ({ type: 'text', text }) as TextBlock;

function newMessageId(): string {
  return newCompletionId().replace('chatcmpl-', 'msg_');
}

/** A canonical completion as a Message. */
export function completionToMessage(completion: ChatCompletion, model: string, stops: readonly string[] = []): Message {
  const choice = completion.choices[0];
  const message = choice?.message as ChatMessage | undefined;
  const content: ContentBlock[] = [];
  if (message?.reasoning_content) content.push({ type: 'thinking', thinking: message.reasoning_content, signature: UNSIGNED });
  content.push(...redactedOf(message?.signed_thinking));
  if (message?.content) content.push(textBlock(message.content));
  for (const call of message?.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    content.push({ type: 'tool_use', id: call.id ? anthropicToolId(call.id) : newToolUseId(), name: call.function.name, input: argumentsObject(call.function.arguments), caller: { type: 'direct' } });
  }
  return {
    id: newMessageId(),
    type: 'message',
    role: 'assistant',
    model,
    content,
    ...stopOf(choice?.finish_reason, stopSequenceOf(choice), stops),
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: anthropicUsage(completion.usage),
  };
}

/**
 * Canonical chunks as Messages stream events: `message_start`, then content blocks (thinking, text)
 * streamed as they come, then every tool call as a whole `tool_use` block in call order (its input
 * complete in one `input_json_delta`, never `{}`; parallel calls keep their own blocks even when
 * their fragments arrive interleaved), then `message_delta` with the stop reason and usage, then
 * `message_stop`.
 *
 * Other upstreams count the prompt only at the end, but Anthropic's `message_start` gives its input
 * tokens, and Claude Code reads its context's size from there (its display, and its auto-compaction
 * where `message_delta` gives none): zero there showed an empty context and never compacted a
 * conversation outgrowing a local model. So it carries the gateway's estimate, and `message_delta`
 * the upstream's count.
 */
export function createMessageEventWriter(model: string, stops: readonly string[] = [], promptTokens?: () => number) {
  const id = newMessageId();
  let started = false;
  let open: { index: number; type: 'thinking' | 'text' } | undefined;
  let nextIndex = 0;
  let finish: string | null = null;
  let sequence: string | undefined;
  let usage: ChatCompletion['usage'] | null = null;
  const calls = new Map<number, GatheredCall>();
  const redacted: RedactedThinkingBlock[] = [];
  const out: RawMessageStreamEvent[] = [];
  const start = () => {
    if (started) return;
    started = true;
    out.push({
      type: 'message_start',
      message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, stop_details: null, container: null, diagnostics: null, usage: { ...anthropicUsage(null), input_tokens: promptTokens?.() ?? 0 } },
    });
    // Anthropic sends a ping after message_start; clients that count on it get one.
    out.push({ type: 'ping' } as unknown as RawMessageStreamEvent);
  };
  const close = () => {
    if (!open) return;
    if (open.type === 'thinking') out.push({ type: 'content_block_delta', index: open.index, delta: { type: 'signature_delta', signature: UNSIGNED } });
    out.push({ type: 'content_block_stop', index: open.index });
    open = undefined;
  };
  const block = (type: 'thinking' | 'text') => {
    if (open?.type === type) return open.index;
    close();
    open = { index: nextIndex++, type };
    out.push({ type: 'content_block_start', index: open.index, content_block: type === 'text' ? textBlock('') : { type: 'thinking', thinking: '', signature: '' } });
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
        redacted.push(...redactedOf(delta.signed_thinking));
        if (choice.finish_reason) {
          finish = choice.finish_reason;
          sequence = stopSequenceOf(choice);
        }
      }
      return drain();
    },
    finish(): RawMessageStreamEvent[] {
      start();
      close();
      for (const block of redacted) {
        const index = nextIndex++;
        out.push({ type: 'content_block_start', index, content_block: block }, { type: 'content_block_stop', index });
      }
      for (const call of inCallOrder(calls)) {
        const index = nextIndex++;
        out.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id ? anthropicToolId(call.id) : newToolUseId(), name: call.name, input: {}, caller: { type: 'direct' } } });
        out.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(argumentsObject(call.arguments)) } });
        out.push({ type: 'content_block_stop', index });
      }
      const final = anthropicUsage(usage);
      const deltaUsage: MessageDeltaUsage = { input_tokens: final.input_tokens, output_tokens: final.output_tokens, cache_read_input_tokens: final.cache_read_input_tokens, cache_creation_input_tokens: final.cache_creation_input_tokens, output_tokens_details: null, server_tool_use: null };
      const ended = calls.size > 0 ? { stop_reason: 'tool_use' as const, stop_sequence: null } : stopOf(finish, sequence, stops);
      out.push({ type: 'message_delta', delta: { ...ended, stop_details: null, container: null }, usage: deltaUsage });
      out.push({ type: 'message_stop' });
      return drain();
    },
  };
}

/**
 * An error as Anthropic's API writes one, with the request's id as Anthropic gives its own
 * (`switchyard usage show ID` reads its row). Claude Code sends a request that was answered
 * overloaded_error again whatever its headers say, so a 503 that waiting cannot mend is an api_error.
 */
export const anthropicErrorBody = (wire: WireError, request: { id: string }) => ({
  type: 'error',
  error: { type: wire.retryable === false && wire.status >= 500 ? 'api_error' : anthropicErrorType(wire.status), message: wire.code === 'context_length_exceeded' ? tooLong(wire) : wire.message },
  request_id: request.id,
});

/**
 * A prompt no deployment's window takes, said first as Anthropic says it: agents built on its API
 * know an overflow by these words (and read the numbers), and compact the conversation or lower
 * `max_tokens` where they would otherwise fail the turn.
 */
function tooLong(wire: WireError): string {
  const { largest_context_window: window, prompt_tokens: prompt, max_tokens: answer } = (wire.details ?? {}) as { largest_context_window?: number | null; prompt_tokens?: number | null; max_tokens?: number | null };
  if (typeof window === 'number' && typeof prompt === 'number' && typeof answer === 'number') {
    return prompt > window
      ? `prompt is too long: ${prompt} tokens > ${window} maximum. ${wire.message}`
      : `input length and \`max_tokens\` exceed context limit: ${prompt} + ${answer} > ${window}, decrease input length or \`max_tokens\` and try again. ${wire.message}`;
  }
  // An upstream's refusal is quoted in the message; Anthropic's own words may be among them.
  return /prompt is too long|exceed context limit/i.test(wire.message) ? wire.message : `prompt is too long: ${wire.message}`;
}

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

/**
 * The redacted thinking an answer carries (another server's reasoning details: wire/reasoning-details.ts),
 * as blocks the client keeps and sends back with the turn; before its tool calls, as thinking goes.
 */
function redactedOf(blocks: readonly SignedThinking[] | undefined): RedactedThinkingBlock[] {
  return (blocks ?? []).flatMap((block) => (block.type === 'redacted_thinking' ? [{ type: 'redacted_thinking' as const, data: block.data }] : []));
}
