/**
 * Tool names as OpenAI-compatible servers take them: OpenAI, DeepSeek, Groq and the rest refuse a
 * function name over 64 characters or with other characters than letters, digits, `_` and `-`
 * ("Invalid 'tools[43].function.name': string too long. Expected a string with maximum length 64"),
 * and Gemini one that does not begin with a letter or `_`. Claude Code names an MCP server's tools
 * `mcp__<server>__<tool>`, often longer, so every request of a session with such a server failed.
 * A name they refuse goes as a short one made from it (the same every turn, so the history and the
 * tools agree), and the answer's calls come back under the name the client gave.
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
export function takenName(name: string): string {
  if (TAKEN.test(name)) return name;
  const start = name.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z_]/, '_').slice(0, 54);
  return `${start}_${createHash('sha256').update(name).digest('hex').slice(0, 9)}`;
}

export function toolNamesTaken(request: ChatRequest): ToolNames {
  const renamed = new Map<string, string>();
  const rename = (name: unknown): unknown => {
    if (typeof name !== 'string' || TAKEN.test(name)) return name;
    const short = takenName(name);
    renamed.set(short, name);
    return short;
  };
  const tools = request.tools?.map((tool) => (tool.type === 'function' && !TAKEN.test(tool.function.name) ? { ...tool, function: { ...tool.function, name: rename(tool.function.name) as string } } : tool));
  if (renamed.size === 0) return UNCHANGED(request);
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
