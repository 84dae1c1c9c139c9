/**
 * OpenAI's function calling before tools (2023, deprecated, still served by OpenAI): `functions`
 * and `function_call` in the request, an assistant turn's `function_call`, a `function` turn with
 * its result, and `message.function_call` in the answer. Agents written against it still send it;
 * a server that knows only tools (Ollama, Anthropic, vLLM) would answer as if offered nothing.
 * The front door reads it as tools, one call at a time as the old API made them, and writes the
 * answer back in its shape for the client that asked in it.
 */
import { GatewayError } from '../errors';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from './canonical';

type LegacyFields = { functions?: unknown; function_call?: unknown };
type Turn = ChatRequest['messages'][number];
type Call = { name?: unknown; arguments?: unknown };

/** Whether the request asks in the old API's words (its answers then go back in them too). */
export function asksForFunctions(body: ChatRequest): boolean {
  return Array.isArray((body as LegacyFields).functions) && body.tools === undefined;
}

/**
 * The request with its functions as tools and its history's calls and results as tool calls and
 * tool turns (each result paired with the call before it). One without any of it is returned as is.
 */
export function functionsAsTools(body: ChatRequest): ChatRequest {
  const legacy = body as ChatRequest & LegacyFields;
  // Property reads only, for every request: a copy is made only for one that uses the old API.
  const history = body.messages.some((m) => m.role === 'function' || (m.role === 'assistant' && (m as { function_call?: unknown }).function_call != null));
  if (legacy.functions === undefined && legacy.function_call === undefined && !history) return body;
  const { functions, function_call: choice, ...rest } = legacy;
  const request = rest as ChatRequest;
  if (functions !== undefined) {
    if (!Array.isArray(functions)) throw refused('functions', 'functions must be a list of functions ({"name", "description", "parameters"})');
    const tools = functions.map((f: unknown, i) => {
      const name = (f as Call | null)?.name;
      if (typeof name !== 'string' || name === '') throw refused(`functions[${i}].name`, `functions[${i}] must have a name`);
      // Checked here, as the front door's schema checks a tool's: the functions were not tools when it ran.
      const parameters = (f as { parameters?: unknown }).parameters;
      if (parameters !== undefined && (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters))) throw refused(`functions[${i}].parameters`, `functions[${i}].parameters must be a JSON Schema object`);
      return { type: 'function' as const, function: f as { name: string } };
    });
    if (tools.length > 0) {
      request.tools = [...(body.tools ?? []), ...tools];
      // The old API made one call per answer, and its answer holds one.
      request.parallel_tool_calls = false;
    }
  }
  const named = typeof (choice as Call | null | undefined)?.name === 'string';
  if (choice != null && choice !== 'none' && choice !== 'auto' && !named) throw refused('function_call', 'function_call must be "none", "auto" or {"name": "..."}');
  // A choice among no functions chooses nothing (a tool choice without tools is refused upstream).
  if (choice != null && request.tools?.length) request.tool_choice = named ? { type: 'function', function: { name: (choice as { name: string }).name } } : (choice as 'none' | 'auto');
  if (history) request.messages = pairedTurns(body.messages);
  return request;
}

/** Each assistant `function_call` as a tool call of its own id, and each `function` turn as the result of the call before it. */
function pairedTurns(messages: Turn[]): Turn[] {
  let lastCall: string | undefined;
  return messages.map((message, i): Turn => {
    if (message.role === 'assistant') {
      const { function_call: call, ...turn } = message as typeof message & { function_call?: Call | null };
      if (call == null) return message;
      if (typeof call.name !== 'string') throw refused(`messages[${i}].function_call.name`, `messages[${i}].function_call must have a name`);
      lastCall = `call_function_${i}`;
      const args = typeof call.arguments === 'string' ? call.arguments : '{}';
      return { ...turn, tool_calls: [...(turn.tool_calls ?? []), { id: lastCall, type: 'function', function: { name: call.name, arguments: args } }] };
    }
    if (message.role !== 'function') return message;
    // A result with no call before it still names its function, as the old API had it.
    return { role: 'tool', tool_call_id: lastCall ?? `call_function_${message.name}`, content: message.content ?? '' };
  });
}

/** A whole answer in the old API's shape: its first tool call as `function_call` (a copy: the cache may hold the answer). */
export function functionCallAnswer(completion: ChatCompletion): ChatCompletion {
  const choices = completion.choices.map((choice) => {
    const { tool_calls: calls, ...message } = choice.message;
    const first = calls?.find((c) => c.type === 'function');
    return {
      ...choice,
      message: first ? { ...message, function_call: { name: first.function.name, arguments: first.function.arguments } } : choice.message,
      finish_reason: choice.finish_reason === 'tool_calls' ? ('function_call' as const) : choice.finish_reason,
    };
  });
  return { ...completion, choices };
}

/** A stream's chunk in the old API's shape: the first call's fragments as `function_call` (a copy, as above). */
export function functionCallChunk(chunk: ChatCompletionChunk): ChatCompletionChunk {
  const choices = chunk.choices.map((choice) => {
    const { tool_calls: calls, ...delta } = choice.delta;
    const first = calls?.find((c) => c.index === 0)?.function;
    return {
      ...choice,
      delta: first ? { ...delta, function_call: { ...(first.name !== undefined ? { name: first.name } : {}), arguments: first.arguments ?? '' } } : calls ? delta : choice.delta,
      finish_reason: choice.finish_reason === 'tool_calls' ? ('function_call' as const) : choice.finish_reason,
    };
  });
  return { ...chunk, choices };
}

const refused = (param: string, message: string) => new GatewayError('invalid_request', message, { param });
