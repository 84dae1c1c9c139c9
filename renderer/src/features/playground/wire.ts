/**
 * The playground's four APIs: a conversation as a request in each (what a client of that API would
 * send, with the system prompt and the thinking asked where each puts them), the answer's text and
 * reasoning back out of each (whole or as its stream's SSE text). The request as code: snippets.ts.
 */
import { eventData } from '../../api/client';
import type { PlaygroundWireAnswer, Trace } from '../../api/types';

export type PlaygroundApi = 'openai' | 'anthropic' | 'responses' | 'ollama';

export const API_LABELS: Record<PlaygroundApi, string> = { openai: 'OpenAI Chat Completions', anthropic: 'Anthropic Messages', responses: 'OpenAI Responses', ollama: 'Ollama chat' };

export interface Options {
  model: string;
  stream: boolean;
  temperature: number | undefined;
  maxTokens: number | undefined;
  /** The system prompt ('' for none), where each API puts it: a system message, Messages' `system`, Responses' `instructions`. */
  system: string;
  /** How hard the model thinks ('' as the deployment does), as each API asks it: `reasoning_effort`, Messages' `thinking` budget, Responses' `reasoning.effort`. */
  effort: Effort;
}

export type Effort = '' | 'none' | 'low' | 'medium' | 'high';

/** Messages' thinking budget for each effort, in the bands the gateway reads back as that effort (surfaces/anthropic/codec.ts). */
const THINKING_BUDGET = { low: 1024, medium: 4096, high: 16384 } as const;

type Message = { role: 'user' | 'assistant'; content: string };

export function requestFor(api: PlaygroundApi, messages: Message[], o: Options): Record<string, unknown> {
  const sampling = o.temperature !== undefined ? { temperature: api === 'anthropic' ? Math.min(o.temperature, 1) : o.temperature } : {};
  const system = o.system.trim() ? o.system : undefined;
  if (api === 'anthropic') {
    // Its answer must have room beyond the thinking: max_tokens above the budget.
    const budget = o.effort && o.effort !== 'none' ? THINKING_BUDGET[o.effort] : 0;
    const thinking = o.effort === 'none' ? { thinking: { type: 'disabled' } } : budget ? { thinking: { type: 'enabled', budget_tokens: budget } } : {};
    // Anthropic takes no temperature but 1 with thinking on ("temperature may only be set to 1 when thinking is enabled"): none is sent.
    return { model: o.model, max_tokens: o.maxTokens ?? budget + 1024, ...(system ? { system } : {}), messages, stream: o.stream, ...thinking, ...(budget ? {} : sampling) };
  }
  // Ollama's think is on or off (a level only some models take); its sampling under options.
  if (api === 'ollama') {
    const options = { ...(o.temperature !== undefined ? { temperature: o.temperature } : {}), ...(o.maxTokens !== undefined ? { num_predict: o.maxTokens } : {}) };
    return { model: o.model, messages: system ? [{ role: 'system', content: system }, ...messages] : messages, stream: o.stream, ...(o.effort ? { think: o.effort !== 'none' } : {}), ...(Object.keys(options).length > 0 ? { options } : {}) };
  }
  if (api === 'responses') return { model: o.model, ...(system ? { instructions: system } : {}), input: messages.map((m) => ({ role: m.role, content: m.content })), stream: o.stream, ...(o.maxTokens !== undefined ? { max_output_tokens: o.maxTokens } : {}), ...(o.effort ? { reasoning: { effort: o.effort } } : {}), ...sampling };
  return { model: o.model, messages: system ? [{ role: 'system', content: system }, ...messages] : messages, stream: o.stream, ...(o.maxTokens !== undefined ? { max_tokens: o.maxTokens } : {}), ...(o.effort ? { reasoning_effort: o.effort } : {}), ...sampling };
}

/** What a model thought before it answered (reasoning, thinking), where its answer says: shown apart from the answer. */
type Parts = { text: string; reasoning: string };

type Event = { type?: string; delta?: { type?: string; text?: string; thinking?: string } | string; choices?: { delta?: { content?: string | null; reasoning_content?: string; reasoning?: string } }[] };

/** The answer's visible text and its reasoning, from a whole answer or from a stream's SSE text. */
export function answerParts(api: PlaygroundApi, answer: unknown): Parts {
  if (api === 'ollama') {
    // A stream is NDJSON, a line per chunk; a whole answer, one such object.
    const parts = { text: '', reasoning: '' };
    for (const line of typeof answer === 'string' ? answer.split('\n') : [JSON.stringify(answer)]) {
      try {
        const message = (JSON.parse(line) as { message?: { content?: string; thinking?: string } }).message;
        parts.text += message?.content ?? '';
        parts.reasoning += message?.thinking ?? '';
      } catch {
        // a blank line
      }
    }
    return parts;
  }
  if (typeof answer === 'string') {
    const parts = { text: '', reasoning: '' };
    for (const data of eventData(answer)) {
      if (data === '[DONE]') continue;
      try {
        addEvent(api, JSON.parse(data) as Event, parts);
      } catch {
        // not an event of ours; skip it
      }
    }
    return parts;
  }
  type Block = { type: string; text?: string; thinking?: string };
  const a = answer as { content?: Block[]; output?: { type: string; content?: Block[]; summary?: Block[] }[]; choices?: { message?: { content?: string | null; reasoning_content?: string; reasoning?: string } }[] };
  if (api === 'anthropic') {
    const blocks = a.content ?? [];
    return { text: blocks.filter((b) => b.type === 'text').map((b) => b.text).join(''), reasoning: blocks.filter((b) => b.type === 'thinking').map((b) => b.thinking).join('') };
  }
  if (api === 'responses') {
    const items = a.output ?? [];
    const reasoning = items.filter((o) => o.type === 'reasoning').flatMap((o) => [...(o.summary ?? []), ...(o.content ?? [])]).map((p) => p.text ?? '').join('\n');
    return { text: items.filter((o) => o.type === 'message').flatMap((o) => o.content ?? []).filter((p) => p.type === 'output_text').map((p) => p.text).join(''), reasoning };
  }
  const message = a.choices?.[0]?.message;
  return { text: message?.content ?? '', reasoning: message?.reasoning_content ?? message?.reasoning ?? '' };
}

/** One streamed event's text or reasoning, added to what came before. */
function addEvent(api: PlaygroundApi, event: Event, parts: Parts): void {
  const delta = event.delta;
  if (api === 'anthropic' && event.type === 'content_block_delta' && typeof delta === 'object') {
    if (delta.type === 'text_delta') parts.text += delta.text ?? '';
    if (delta.type === 'thinking_delta') parts.reasoning += delta.thinking ?? '';
  }
  if (api === 'responses' && typeof delta === 'string') {
    if (event.type === 'response.output_text.delta') parts.text += delta;
    if (event.type === 'response.reasoning_summary_text.delta' || event.type === 'response.reasoning_text.delta') parts.reasoning += delta;
  }
  if (api === 'openai') {
    const chunk = event.choices?.[0]?.delta;
    parts.text += chunk?.content ?? '';
    parts.reasoning += chunk?.reasoning_content ?? chunk?.reasoning ?? '';
  }
}

/** The error a front door answered, in any of the four shapes (Ollama's is a string). */
export function answerError(answer: unknown): string | undefined {
  const error = (answer as { error?: { message?: string } | string } | undefined)?.error;
  return typeof error === 'string' ? error : error?.message;
}

/** A wire answer's trace in the shape the trace view shows. */
export function traceOf(answer: PlaygroundWireAnswer): Trace & { upstream: PlaygroundWireAnswer['upstream'] } {
  return {
    deployment: answer.deployment ?? '(none)',
    provider: answer.provider ?? '',
    cache: answer.cache,
    attempts: answer.attempts,
    skipped: [],
    tokens: answer.tokens,
    cost: answer.cost,
    totalMs: answer.totalMs,
    firstTokenMs: answer.firstTokenMs,
    ...(answer.decision ? { decision: answer.decision } : {}),
    upstream: answer.upstream,
  };
}
