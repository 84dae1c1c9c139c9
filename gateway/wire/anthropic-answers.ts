/**
 * Anthropic Messages -> canonical (OpenAI chat), pure: the answer side of Anthropic providers' codec
 * (requests go out in anthropic.ts). A whole Message, or a stream's events, as a completion or its
 * chunks: text, thinking (and what Claude signed of it: signed-thinking.ts), tool calls, the stop
 * reason and usage.
 */
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletion, ChatCompletionChunk, Delta, Message as ChatMessage } from './canonical';
import type { SignedThinking } from './signed-thinking';

export type { Message as AnthropicMessage, RawMessageStreamEvent };

const FINISH: Record<string, ChatCompletion['choices'][number]['finish_reason']> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls', refusal: 'content_filter', model_context_window_exceeded: 'length' };

/** The stop sequence Anthropic says ended the answer, as a choice's `stop_reason` (canonical.ts: stopSequenceOf). */
function stoppedAt(said: { stop_reason?: string | null; stop_sequence?: string | null }): { stop_reason?: string } {
  return said.stop_reason === 'stop_sequence' && said.stop_sequence ? { stop_reason: said.stop_sequence } : {};
}

/** Anthropic's usage in canonical terms: prompt tokens count the cached ones too, as OpenAI's do. */
function usageFrom(usage: { input_tokens?: number | null; output_tokens?: number | null; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null }): NonNullable<ChatCompletion['usage']> {
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
    // None given (a compatible server's way), none passed on: the gateway then counts the tokens itself.
    ...(message.usage ? { usage: usageFrom(message.usage) } : {}),
  };
}

/** The end of a Messages stream; an `error` event is a failure of the deployment. */
export const MESSAGES_END = { name: 'message_stop', isEnd: (event: { event: string | undefined }) => event.event === 'message_stop' };

/**
 * A stateful translator from Messages stream events to canonical chunks: text, thinking and tool
 * calls (each tool_use block its own tool-call index, its input streamed as argument fragments),
 * the stop reason, and a last usage-only chunk.
 */
export function createMessagesChunkTranslator(id: string): (event: RawMessageStreamEvent) => ChatCompletionChunk[] {
  let model = '';
  const created = Math.floor(Date.now() / 1000);
  let usage = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  let reported = false;
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
        if (event.message.usage) usage = { ...usage, ...stripNulls(event.message.usage) };
        reported ||= Boolean(event.message.usage);
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
        if (event.usage) usage = { ...usage, ...stripNulls(event.usage) };
        reported ||= Boolean(event.usage);
        const finished = chunk({}, FINISH[event.delta.stop_reason ?? ''] ?? 'stop');
        Object.assign(finished.choices[0]!, stoppedAt(event.delta));
        return [finished];
      }
      case 'message_stop':
        return reported ? [{ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageFrom(usage) }] : [];
      default:
        return [];
    }
  };
}

function stripNulls<T extends object>(value: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<{ [K in keyof T]: NonNullable<T[K]> }>;
}
