/**
 * A model whose chat template takes user and assistant only in turn: Mistral's (Devstral's) and
 * Gemma's raise "conversation roles must alternate user and assistant roles", which llama.cpp's
 * server answers with a 500 and vLLM with a 400. Agents send two user messages in a row (their
 * instructions, then an observation), and were refused. Once a model is refused so, its conversations
 * go with each run of user messages, and of assistant messages without tool calls, joined into one:
 * this request again at once, and later ones from the start (kept across restarts: quirk-memory.ts).
 */
import { UpstreamError } from '../errors';
import type { LearnerMemory } from './types';

/** Models remembered per server: any number of models may be asked for. */
const MAX_MODELS = 1_000;
const ROLES_ALTERNATE = /roles must alternate/i;

type Message = { role?: unknown; content?: unknown; tool_calls?: unknown };
type Part = { type: string; text?: string };

export function createTurnsLearner(memory?: LearnerMemory<true>) {
  const learned = memory?.learned ?? new Map<string, true>();
  return async function inTurns<T>(model: string, body: Record<string, unknown>, send: (body: Record<string, unknown>) => Promise<T>): Promise<T> {
    if (learned.has(model)) return send(withTurnsJoined(body));
    try {
      return await send(body);
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.failure !== 'unsupported' || !ROLES_ALTERNATE.test((error.upstreamError?.message ?? '').slice(0, 2_000))) throw error;
      const joined = withTurnsJoined(body);
      // Nothing to join: the template refuses something else in the order.
      if (joined === body) throw error;
      if (learned.size >= MAX_MODELS) learned.clear();
      learned.set(model, true);
      memory?.remember(model, true);
      return send(joined);
    }
  };
}

/** The body with each run of user messages, and of assistant messages without tool calls, as one message. */
export function withTurnsJoined(body: Record<string, unknown>): Record<string, unknown> {
  const messages = body.messages;
  if (!Array.isArray(messages)) return body;
  const out: Message[] = [];
  let joined = false;
  for (const message of messages as Message[]) {
    const before = out.at(-1);
    if (before !== undefined && joinable(before) && joinable(message) && before.role === message.role) {
      out[out.length - 1] = { ...before, content: joinedContent(before.content, message.content) };
      joined = true;
    } else out.push(message);
  }
  return joined ? { ...body, messages: out } : body;
}

const joinable = (message: Message) => message.role === 'user' || (message.role === 'assistant' && !(Array.isArray(message.tool_calls) && message.tool_calls.length > 0));

/** Two messages' contents as one: texts a paragraph apart, parts in order. */
function joinedContent(first: unknown, second: unknown): unknown {
  if (first === null || first === undefined || first === '') return second;
  if (second === null || second === undefined || second === '') return first;
  if (typeof first === 'string' && typeof second === 'string') return `${first}\n\n${second}`;
  return [...partsOf(first), ...partsOf(second)];
}

const partsOf = (content: unknown): Part[] => (Array.isArray(content) ? (content as Part[]) : [{ type: 'text', text: String(content) }]);
