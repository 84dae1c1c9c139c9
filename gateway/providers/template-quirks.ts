/**
 * What a server (or its chat template) cannot read in a conversation, learned from its refusals and
 * rewritten so it can, for that model: this request again at once, and later ones from the start
 * (kept across restarts: quirk-memory.ts). Each refusal is what a server says of a conversation its
 * model cannot take as sent (llama.cpp's server says most with a 500):
 * - Mistral's (Devstral's) and Gemma's templates take user and assistant only in turn ("conversation
 *   roles must alternate user and assistant roles"; vLLM says it with a 400), and agents send two
 *   user messages in a row (their instructions, then an observation): each run of user messages, and
 *   of assistant messages without tool calls, goes joined into one;
 * - templates that read a call's arguments as an object (GLM's, Qwen's) make the server parse them
 *   ("Failed to parse tool call arguments as JSON", llama.cpp#25510), and a history holding a small
 *   model's call cut short (`{"city": "Par`) was refused every turn after: such arguments go as an
 *   object that keeps their text;
 * - Qwen's templates (3.5 on) take one system message, first ("System message must be at the
 *   beginning", a 400 from llama.cpp's server and vLLM), and clients and plugins add more later in a
 *   conversation (opencode's memory, SillyTavern, forgecode): those before the conversation go as one,
 *   a later one as a reminder in the user message before it, as a Responses request's always go;
 * - a thinking model's server refuses to continue an answer ("Assistant response prefill is
 *   incompatible with enable_thinking", a 400: opencode, Hermes and Mastra met it on Qwen 3.5 and
 *   3.6), since a continued answer has no place for thinking: one ending in an assistant message goes
 *   with the template's thinking off (`chat_template_kwargs.enable_thinking: false`, the switch
 *   llama.cpp's server and vLLM read), as Anthropic's API takes a prefill only without thinking;
 * - a thinking model's API (Moonshot's Kimi, DeepSeek's) wants its reasoning back on each assistant
 *   turn of the history, and refuses one without ("reasoning_content is missing in assistant tool
 *   call message"): a session that began on another model, or a turn the model answered without
 *   thinking, has none to give. Each such turn goes with an empty one, as Kimi's own client sends.
 */
import { UpstreamError } from '../errors';
import { argumentsObject, type ChatRequest } from '../wire/canonical';
import { withOneLeadingSystem } from '../wire/system-reminders';
import type { LearnerMemory } from './types';

type Body = Record<string, unknown>;
type Message = { role?: unknown; content?: unknown; tool_calls?: unknown };
type Part = { type: string; text?: string };

interface TemplateQuirk {
  /** Its learner's name in the quirk memory. */
  learner: string;
  refusal: RegExp;
  /** The body as the template reads it: the same body when there is nothing to change. */
  rewrite(body: Body): Body;
}

/** In the order they are applied: the system messages first, as placing them may start a user message another joins. */
const TEMPLATE_QUIRKS: readonly TemplateQuirk[] = [
  { learner: 'leading-system', refusal: /System message must be at the beginning/i, rewrite: withSystemFirst },
  { learner: 'alternating-turns', refusal: /roles must alternate/i, rewrite: withTurnsJoined },
  { learner: 'parsed-arguments', refusal: /Failed to parse tool call arguments as JSON/i, rewrite: withArgumentsParsable },
  { learner: 'prefill-unthought', refusal: /prefill is incompatible with enable_thinking/i, rewrite: withPrefillUnthought },
  { learner: 'history-reasoning', refusal: /reasoning_content is missing|reasoning_content` in the thinking mode must be passed back/i, rewrite: withReasoningOnEveryTurn },
];

/** Models remembered per server and quirk: any number of models may be asked for. */
const MAX_MODELS = 1_000;

export function createTemplateLearner(memoryOf: (learner: string) => LearnerMemory<true> | undefined) {
  const known = TEMPLATE_QUIRKS.map((quirk) => {
    const memory = memoryOf(quirk.learner);
    return { quirk, memory, learned: memory?.learned ?? new Map<string, true>() };
  });
  return async function asTemplateReads<T>(model: string, body: Body, send: (body: Body) => Promise<T>): Promise<T> {
    // Every quirk learned, each time from the body as sent, in the list's order.
    const asLearned = () => known.reduce((current, { quirk, learned }) => (learned.has(model) ? quirk.rewrite(current) : current), body);
    let current = asLearned();
    // Each quirk is learned once: at most one more attempt a quirk.
    for (;;) {
      try {
        return await send(current);
      } catch (error) {
        const said = error instanceof UpstreamError && error.failure === 'unsupported' ? (error.upstreamError?.message ?? '').slice(0, 2_000) : '';
        const next = said ? known.find(({ quirk, learned }) => !learned.has(model) && quirk.refusal.test(said)) : undefined;
        // Nothing to rewrite: the template refuses something else.
        if (!next || next.quirk.rewrite(current) === current) throw error;
        if (next.learned.size >= MAX_MODELS) next.learned.clear();
        next.learned.set(model, true);
        next.memory?.remember(model, true);
        current = asLearned();
      }
    }
  };
}

/** The body with one system message, first: a later one goes as a reminder in the user message before it (wire/system-reminders.ts). */
export function withSystemFirst(body: Body): Body {
  const messages = body.messages;
  if (!Array.isArray(messages)) return body;
  const placed = withOneLeadingSystem(messages as ChatRequest['messages']);
  return placed === messages ? body : { ...body, messages: placed };
}

/** The body with an empty `reasoning_content` on each assistant turn that carries none. */
export function withReasoningOnEveryTurn(body: Body): Body {
  const messages = body.messages;
  const bare = (message: Message & { reasoning_content?: unknown }) => message?.role === 'assistant' && typeof message.reasoning_content !== 'string';
  if (!Array.isArray(messages) || !messages.some(bare)) return body;
  return { ...body, messages: (messages as Message[]).map((message) => (bare(message) ? { ...message, reasoning_content: '' } : message)) };
}

/** The body with the template's thinking off when it ends in an assistant message, an answer to continue. */
export function withPrefillUnthought(body: Body): Body {
  const messages = body.messages;
  if (!Array.isArray(messages) || (messages.at(-1) as Message | undefined)?.role !== 'assistant') return body;
  const kwargs = body.chat_template_kwargs;
  if (kwargs !== null && typeof kwargs === 'object' && (kwargs as Record<string, unknown>).enable_thinking === false) return body;
  return { ...body, chat_template_kwargs: { ...(kwargs !== null && typeof kwargs === 'object' ? kwargs : {}), enable_thinking: false } };
}

/** The body with each run of user messages, and of assistant messages without tool calls, as one message. */
export function withTurnsJoined(body: Body): Body {
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

type Call = { function?: { arguments?: unknown } };

/** The body with each history call's arguments a JSON object's text, those that were not kept in it (wire/canonical.ts). */
export function withArgumentsParsable(body: Body): Body {
  const messages = body.messages;
  if (!Array.isArray(messages)) return body;
  let changed = false;
  const out = (messages as Message[]).map((message) => {
    if (!Array.isArray(message.tool_calls)) return message;
    const calls = (message.tool_calls as Call[]).map((call) => {
      const text = call.function?.arguments;
      if (typeof text !== 'string' || isObjectText(text)) return call;
      changed = true;
      return { ...call, function: { ...call.function, arguments: JSON.stringify(argumentsObject(text)) } };
    });
    return calls.some((call, i) => call !== (message.tool_calls as Call[])[i]) ? { ...message, tool_calls: calls } : message;
  });
  return changed ? { ...body, messages: out } : body;
}

function isObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}
