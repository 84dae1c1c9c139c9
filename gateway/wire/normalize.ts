/**
 * An OpenAI-compatible server's answers made into the spec's shape, whole and streamed: the fields
 * it requires but many servers omit filled, and what servers get wrong mended on the way in, so
 * every surface and translation downstream meets one shape.
 */
import type { ChatCompletion, ChatCompletionChunk, Delta, Message } from './canonical';
import { newToolCallId } from './ids';
import { createThinkSplitter, takeThinkingOut } from './think-tags';

const FINISH_REASONS = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

/**
 * An OpenAI-compatible server's answer as the spec has it: the fields it requires but many servers
 * omit (`logprobs`, `message.refusal`, a known `finish_reason`) filled, so every response we send
 * validates, and what servers get wrong mended.
 */
export function normalizeCompletion(completion: ChatCompletion): ChatCompletion {
  completion.object = 'chat.completion';
  for (const choice of completion.choices ?? []) {
    choice.logprobs ??= null;
    if (!FINISH_REASONS.has(choice.finish_reason)) choice.finish_reason = 'stop';
    const message = choice.message;
    contentChunksAsText(message);
    // Gemini says "stop" after tool calls; clients run tools on "tool_calls".
    if (choice.finish_reason === 'stop' && message?.tool_calls?.length) choice.finish_reason = 'tool_calls';
    adoptReasoning(message as Message);
    if (message) takeThinkingOut(message as Message);
    argumentsAsText(message?.tool_calls);
    message.content ??= null;
    message.refusal ??= null;
    message.role = 'assistant';
  }
  countAllOutput(completion.usage);
  cacheHitsAsCached(completion.usage);
  return completion;
}

/**
 * The same for the chunks of one stream, which also get what only the stream as a whole tells. Gemini
 * (Google's compatibility layer) leaves out each tool call's `index`, sends a call's later argument
 * fragments (and its thought signature on its own) with neither index nor id, and says
 * `finish_reason: "stop"` after tool calls. Clients that follow OpenAI's contract crash on a missing
 * index or glue two calls' arguments together, and run tools only on `tool_calls`.
 */
export function createChunkNormalizer(): (chunk: ChatCompletionChunk) => ChatCompletionChunk {
  const calls = new Map<number, CallIndexes>();
  const splitters = new Map<number, ReturnType<typeof createThinkSplitter>>();
  return (chunk) => {
    chunk.object = 'chat.completion.chunk';
    for (const choice of chunk.choices ?? []) {
      // Moonshot's Kimi gives a stream's usage inside its last choice, not beside it.
      const inChoice = (choice as { usage?: ChatCompletionChunk['usage'] }).usage;
      if (inChoice !== undefined) {
        chunk.usage ??= inChoice;
        delete (choice as { usage?: unknown }).usage;
      }
      if (choice.finish_reason === undefined || (choice.finish_reason !== null && !FINISH_REASONS.has(choice.finish_reason))) {
        choice.finish_reason = choice.finish_reason ? 'stop' : null;
      }
      choice.delta ??= {};
      // MiniMax's API gives deltas an empty role, which strict clients refuse.
      if ('role' in choice.delta && !choice.delta.role) delete choice.delta.role;
      contentChunksAsText(choice.delta);
      adoptReasoning(choice.delta as Delta);
      if (splitters.size < MAX_CALLS) splitThinking(choice.delta as Delta, splitters.get(choice.index) ?? splitters.set(choice.index, createThinkSplitter()).get(choice.index)!, choice.finish_reason !== null);
      argumentsAsText(choice.delta.tool_calls);
      const state = indexCalls(calls, choice.index, choice.delta.tool_calls as CallDelta[] | undefined);
      if (state) announceCalls(state, choice.delta as Delta, choice.finish_reason !== null);
      if (state && choice.finish_reason === 'stop') choice.finish_reason = 'tool_calls';
    }
    countAllOutput(chunk.usage);
    cacheHitsAsCached(chunk.usage);
    return chunk;
  };
}

type CallDelta = { index?: number; id?: string; function?: { name?: string } };

/** One choice's calls: ours by id, and by the index the server gave (which may not tell calls apart). */
interface CallIndexes {
  ids: Map<string, number>;
  byServer: Map<number, { ours: number; id: string | undefined }>;
  used: Set<number>;
  next: number;
  last: number | undefined;
  /** Calls whose first fragment went out (with its name). */
  announced: Set<number>;
  /** What came of a call before its name did. */
  held: Map<number, { id: string | undefined; arguments: string }>;
}

/** Calls remembered in one stream: an answer has a handful, an upstream gone wrong endless ones. */
const MAX_CALLS = 1_000;

/**
 * Gives each tool-call fragment of one choice the index of its call. Without an index (Gemini): a
 * new id is a new call; no id, or a known one, goes on with the call it names, or the last. With
 * one, a call that starts (an id and a name) where another id's call already is gets an index of its
 * own: Ollama's OpenAI API and LiteLLM's bridges number every parallel call 0, and clients glued
 * their arguments into one `{...}{...}`. A new id without a name goes on with the call (Poolside
 * changes the id after a call's first fragment).
 */
function indexCalls(choices: Map<number, CallIndexes>, choice: number, calls: CallDelta[] | undefined) {
  let state = choices.get(choice);
  if (!calls?.length) return state;
  state ??= { ids: new Map(), byServer: new Map(), used: new Set(), next: 0, last: undefined, announced: new Set(), held: new Map() };
  choices.set(choice, state);
  for (const call of calls) {
    const known = call.id ? state.ids.get(call.id) : undefined;
    let index: number;
    if (typeof call.index !== 'number') {
      index = known ?? (call.id ? state.next : (state.last ?? state.next));
    } else {
      const seen = state.byServer.get(call.index);
      const starts = call.id !== undefined && call.id !== '' && Boolean(call.function?.name);
      if (known !== undefined) index = known;
      else if (seen && !(starts && seen.id !== undefined && seen.id !== call.id)) index = seen.ours;
      else index = seen || state.used.has(call.index) ? state.next : call.index;
      if (state.byServer.size < MAX_CALLS && (!seen || seen.ours !== index)) state.byServer.set(call.index, { ours: index, id: call.id || undefined });
      else if (seen && seen.id === undefined && call.id) seen.id = call.id;
    }
    call.index = index;
    if (state.used.size < MAX_CALLS) state.used.add(index);
    if (call.id && known === undefined && state.ids.size < MAX_CALLS) state.ids.set(call.id, index);
    state.last = index;
    state.next = Math.max(state.next, index + 1);
  }
  return state;
}

type Fragment = NonNullable<Delta['tool_calls']>[number];

/**
 * Each call's first fragment as clients built on the AI SDK (opencode) require it: with its id and
 * its name, or they fail the stream ("Expected 'function.name' to be a string"). llama.cpp's parser
 * (before May 2026) named a call only in a later fragment: what comes before the name is held and
 * goes out with it, under the first id given (one of the gateway's if none came). A call never named
 * goes out as it came when the choice finishes. Named once: a later fragment's empty name goes no further.
 */
function announceCalls(state: CallIndexes, delta: Delta, finishing: boolean): void {
  const calls = (delta.tool_calls ?? []) as Fragment[];
  if (calls.length === 0 && !(finishing && state.held.size > 0)) return;
  const out: Fragment[] = [];
  for (const call of calls) {
    if (state.announced.has(call.index)) {
      // LM Studio's server gives a call's later fragments an empty name, which clients that take the last name given (gptel) kept.
      if (call.function?.name === '') delete call.function.name;
      out.push(call);
      continue;
    }
    const held = state.held.get(call.index);
    if (!call.function?.name && (held || state.held.size < MAX_CALLS)) {
      if (held) {
        held.id ??= call.id || undefined;
        held.arguments += call.function?.arguments ?? '';
      } else {
        state.held.set(call.index, { id: call.id || undefined, arguments: call.function?.arguments ?? '' });
      }
      continue;
    }
    if (state.announced.size < MAX_CALLS) state.announced.add(call.index);
    state.held.delete(call.index);
    out.push({ ...call, id: held?.id ?? (call.id || newToolCallId()), type: 'function', function: { ...call.function, arguments: (held?.arguments ?? '') + (call.function?.arguments ?? '') } } as Fragment);
  }
  if (finishing) {
    for (const [index, held] of state.held) out.push({ index, ...(held.id ? { id: held.id } : {}), type: 'function', function: { arguments: held.arguments } } as Fragment);
    state.held.clear();
  }
  if (out.length > 0) delta.tool_calls = out;
  else delete delta.tool_calls;
}

/**
 * Output tokens as OpenAI counts them, thinking included (it is billed as output): a server that
 * leaves thinking out of `completion_tokens` (as Gemini's translations have) still counts it in
 * `total_tokens`, and the difference is put back.
 */
function countAllOutput(usage: ChatCompletion['usage'] | null | undefined): void {
  if (!usage || typeof usage.total_tokens !== 'number' || typeof usage.prompt_tokens !== 'number') return;
  const uncounted = usage.total_tokens - usage.prompt_tokens - (usage.completion_tokens ?? 0);
  if (uncounted > 0) usage.completion_tokens = (usage.completion_tokens ?? 0) + uncounted;
}

/**
 * Prompt tokens read from the prompt cache where OpenAI says them: DeepSeek says them in its own
 * `prompt_cache_hit_tokens`, Moonshot's Kimi in a top-level `cached_tokens`, and without this their
 * cache hits (most of an agent's prompt, at a tenth of the price or less) were priced as fresh input
 * and told to Claude Code and Codex as none.
 */
function cacheHitsAsCached(usage: ChatCompletion['usage'] | null | undefined): void {
  const own = usage as { prompt_cache_hit_tokens?: unknown; cached_tokens?: unknown } | null | undefined;
  const hits = own?.prompt_cache_hit_tokens ?? own?.cached_tokens;
  if (!usage || typeof hits !== 'number' || !(hits > 0) || (usage.prompt_tokens_details?.cached_tokens ?? 0) > 0) return;
  usage.prompt_tokens_details = { ...usage.prompt_tokens_details, cached_tokens: Math.min(hits, usage.prompt_tokens ?? hits) };
}

/**
 * A call's arguments as the JSON text OpenAI's contract has them: llama.cpp's server sent an object
 * (builds of March 2026, and `--tool-args-object` since), which chat clients take for text and
 * every translation read as "[object Object]".
 */
function argumentsAsText(calls: readonly object[] | null | undefined): void {
  for (const call of calls ?? []) {
    const fn = (call as { function?: { arguments?: unknown } }).function;
    if (fn && fn.arguments != null && typeof fn.arguments !== 'string') fn.arguments = JSON.stringify(fn.arguments);
  }
}

/**
 * Content given as a list of chunks (Mistral's reasoning models, `mistral-small-latest` with a
 * reasoning effort: `{type: "thinking", thinking: [text chunks]}` then `{type: "text", text}`, whole
 * and streamed) as the text and reasoning OpenAI's contract has: chat clients read `content` as a
 * string (the AI SDK failed "expected string, received array"), and every translation took the list for text.
 */
function contentChunksAsText(part: { content?: unknown; reasoning_content?: string }): void {
  if (!Array.isArray(part.content)) return;
  let text = '';
  let reasoning = '';
  for (const chunk of part.content as { type?: unknown; text?: unknown; thinking?: unknown }[]) {
    if (chunk?.type === 'text' && typeof chunk.text === 'string') text += chunk.text;
    else if (chunk?.type === 'thinking' && Array.isArray(chunk.thinking)) for (const inner of chunk.thinking as { text?: unknown }[]) if (typeof inner?.text === 'string') reasoning += inner.text;
  }
  part.content = text;
  if (reasoning) part.reasoning_content = (part.reasoning_content ?? '') + reasoning;
}

/** A delta's text through its choice's splitter: reasoning written between think tags goes where servers that parse it put it. */
function splitThinking(delta: Delta, split: ReturnType<typeof createThinkSplitter>, ending: boolean): void {
  if (typeof delta.content !== 'string' && !ending) return;
  const { reasoning, content } = split(typeof delta.content === 'string' ? delta.content : '', ending);
  if (typeof delta.content === 'string' || content) delta.content = content;
  if (reasoning) delta.reasoning_content = (delta.reasoning_content ?? '') + reasoning;
}

/**
 * Servers differ on where reasoning goes: DeepSeek and vLLM say `reasoning_content`, Ollama's and
 * OpenRouter's OpenAI APIs say `reasoning`. Inside the gateway it is `reasoning_content`.
 */
function adoptReasoning(part: Delta | Message | undefined): void {
  if (part && !part.reasoning_content && typeof part.reasoning === 'string' && part.reasoning) part.reasoning_content = part.reasoning;
}
