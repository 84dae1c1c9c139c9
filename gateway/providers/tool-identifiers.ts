/**
 * Tool names and call ids as OpenAI-compatible servers take them.
 *
 * Names: OpenAI, DeepSeek, Groq and the rest refuse a
 * function name over 64 characters or with other characters than letters, digits, `_` and `-`
 * ("Invalid 'tools[43].function.name': string too long. Expected a string with maximum length 64"),
 * and Gemini one that does not begin with a letter or `_`. Claude Code names an MCP server's tools
 * `mcp__<server>__<tool>`, often longer, so every request of a session with such a server failed.
 * A name they refuse goes as a short one made from it (the same every turn, so the history and the
 * tools agree), and the answer's calls come back under the name the client gave.
 *
 * Call ids: OpenAI (and Azure, and GitHub Copilot's models) refuse a history whose call id is over 40
 * characters ("Invalid 'messages[68].tool_calls[0].id': string too long. Expected a string with
 * maximum length 40"); other vendors' and gateways' ids run longer (opencode Zen's, Gemini's, a
 * Portkey's), so a session that moved to OpenAI failed from then on. Such an id goes as a digest of
 * it, the same for the call and its result every turn. The answer's own ids are the server's.
 */
import { createHash } from 'node:crypto';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '../wire/canonical';

/** What every one of those servers takes: Gemini's first character, OpenAI's set and length. */
const TAKEN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export interface ToolNames {
  request: ChatRequest;
  /** The answer with its calls under the client's names. */
  restore(completion: ChatCompletion): ChatCompletion;
  restoreChunks(chunks: AsyncIterable<ChatCompletionChunk>): AsyncIterable<ChatCompletionChunk>;
}

const UNCHANGED = (request: ChatRequest): ToolNames => ({ request, restore: (c) => c, restoreChunks: (c) => c });

/** A short name for one the servers refuse: a readable start, and a digest of the whole so two names never become one. */
function takenName(name: string): string {
  if (TAKEN.test(name)) return name;
  const start = name.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z_]/, '_').slice(0, 54);
  return `${start}_${createHash('sha256').update(name).digest('hex').slice(0, 9)}`;
}

export function toolNamesTaken(request: ChatRequest): ToolNames {
  // Nearly every request's names are taken as they are: nothing is copied for those.
  if (!request.tools?.some((tool) => tool.type === 'function' && !TAKEN.test(tool.function.name))) return UNCHANGED(request);
  const renamed = new Map<string, string>();
  const rename = (name: unknown): unknown => {
    if (typeof name !== 'string' || TAKEN.test(name)) return name;
    const short = takenName(name);
    renamed.set(short, name);
    return short;
  };
  const tools = request.tools?.map((tool) => (tool.type === 'function' && !TAKEN.test(tool.function.name) ? { ...tool, function: { ...tool.function, name: rename(tool.function.name) as string } } : tool));
  const messages = request.messages.map((message) => {
    if (message.role !== 'assistant' || !message.tool_calls?.some((c) => c.type === 'function' && !TAKEN.test(c.function.name))) return message;
    return { ...message, tool_calls: message.tool_calls.map((c) => (c.type === 'function' ? { ...c, function: { ...c.function, name: rename(c.function.name) as string } } : c)) };
  });
  const out = { ...request, tools, messages } as ChatRequest;
  const choice = request.tool_choice as { type?: string; function?: { name?: unknown }; allowed_tools?: { tools?: { type?: string; function?: { name?: unknown } }[] } } | undefined;
  if (choice && typeof choice === 'object') {
    if (choice.type === 'function' && choice.function) out.tool_choice = { ...choice, function: { ...choice.function, name: rename(choice.function.name) } } as ChatRequest['tool_choice'];
    else if (choice.type === 'allowed_tools' && Array.isArray(choice.allowed_tools?.tools)) {
      const allowed = choice.allowed_tools.tools.map((t) => (t?.function ? { ...t, function: { ...t.function, name: rename(t.function.name) } } : t));
      out.tool_choice = { ...choice, allowed_tools: { ...choice.allowed_tools, tools: allowed } } as ChatRequest['tool_choice'];
    }
  }
  const original = (name: string | undefined) => (name === undefined ? name : (renamed.get(name) ?? name));
  return {
    request: out,
    restore(completion) {
      for (const choice of completion.choices) for (const call of choice.message.tool_calls ?? []) if (call.type === 'function') call.function.name = original(call.function.name) as string;
      return completion;
    },
    async *restoreChunks(chunks) {
      for await (const chunk of chunks) {
        for (const choice of chunk.choices) for (const call of choice.delta.tool_calls ?? []) if (call.function?.name) call.function.name = original(call.function.name);
        yield chunk;
      }
    },
  };
}

/** OpenAI's most for a call id in a chat history. */
const MAX_CALL_ID = 40;

const shortId = (id: string) => `call_${createHash('sha256').update(id).digest('hex').slice(0, MAX_CALL_ID - 5)}`;

/** The request with every call id over 40 characters, in the calls and their results alike, as a digest of it. */
export function withCallIdsTaken(request: ChatRequest): ChatRequest {
  const long = (id: unknown): id is string => typeof id === 'string' && id.length > MAX_CALL_ID;
  if (!request.messages.some((m) => (m.role === 'tool' && long(m.tool_call_id)) || (m.role === 'assistant' && m.tool_calls?.some((c) => long(c.id))))) return request;
  return {
    ...request,
    messages: request.messages.map((m) => {
      if (m.role === 'tool' && long(m.tool_call_id)) return { ...m, tool_call_id: shortId(m.tool_call_id) };
      if (m.role === 'assistant' && m.tool_calls?.some((c) => long(c.id))) return { ...m, tool_calls: m.tool_calls.map((c) => (long(c.id) ? { ...c, id: shortId(c.id) } : c)) };
      return m;
    }),
  };
}
