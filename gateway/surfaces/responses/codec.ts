/**
 * The Responses front door's request codec, pure: a Responses request (as Codex and the openai SDK
 * send it) to the canonical chat shape, for upstreams that do not speak Responses. Answers go back
 * as a Response (output.ts) or as its stream of events (events.ts). Upstreams that speak Responses
 * get the request itself (pass-through); nothing here touches those.
 */
import type { ProviderConfig } from '../../config/schema';
import { GatewayError } from '../../errors';
import type { ChatRequest, Message as ChatMessage } from '../../wire/canonical';
import { withOneLeadingSystem } from '../../wire/system-reminders';
import { decodeSignedThinking, type SignedThinking } from '../../wire/signed-thinking';
import { agentMessageText } from './agent-messages';
import { ollamaReadsWhole } from './ollama-reads';
import { chatToolName, offeredTools, TOOL_SEARCH, type OfferedTools, type Tool } from './tools';
import { copyWith } from '../../wire/copy-with';

export type Item = { type?: string; role?: string; [key: string]: unknown };
type Part = { type: string; [key: string]: unknown };

/** The Responses request fields this codec reads; the rest pass through only to Responses upstreams. */
export interface ResponsesBody {
  model: string;
  input?: string | Item[];
  instructions?: string | null;
  previous_response_id?: string | null;
  tools?: Tool[];
  tool_choice?: string | { type: string; name?: string; namespace?: string; mode?: string; tools?: ({ type?: string; name?: unknown; namespace?: unknown } | null)[] };
  parallel_tool_calls?: boolean | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  top_logprobs?: number | null;
  text?: { format?: { type: string; name?: string; schema?: unknown; strict?: boolean | null; description?: string } } | null;
  reasoning?: { effort?: string | null; summary?: string | null } | null;
  include?: string[] | null;
  store?: boolean | null;
  stream?: boolean | null;
  metadata?: Record<string, string> | null;
  user?: string;
  safety_identifier?: string;
  truncation?: 'auto' | 'disabled' | null;
}

/** What a client-run tool search takes when the client does not say (as OpenAI's own search). */
const SEARCH_PARAMETERS = { type: 'object', properties: { query: { type: 'string', description: 'What the tools you need do' } }, required: ['query'] };

/** This turn's input as items (a string input is one user message). */
export function inputItems(body: ResponsesBody): Item[] {
  if (typeof body.input === 'string') return [{ type: 'message', role: 'user', content: body.input }];
  return body.input ?? [];
}

/**
 * A Responses request as a canonical chat request. `items` is the whole conversation (earlier turns
 * of `previous_response_id` included). Hosted tools (web search and the like) need OpenAI's servers
 * and are left out; namespaced tools are offered by their chat names (tools.ts); an input item only
 * OpenAI understands is refused with its path.
 */
export function responsesToChat(body: ResponsesBody, items: readonly Item[], target: ProviderConfig['kind'], offered: OfferedTools = offeredTools(body.tools, items)): ChatRequest {
  const messages: ChatRequest['messages'] = [];
  if (body.instructions) messages.push({ role: 'system', content: body.instructions });
  let turn: { content: string; reasoning: string; calls: NonNullable<ChatMessage['tool_calls']>; signed: SignedThinking[] } | undefined;
  const assistantTurn = () => (turn ??= { content: '', reasoning: '', calls: [], signed: [] });
  const flush = () => {
    if (!turn) return;
    const { content, reasoning, calls, signed } = turn;
    messages.push({
      role: 'assistant',
      content: calls.length > 0 && !content ? null : content,
      ...(calls.length > 0 ? { tool_calls: calls } : {}),
      ...(reasoning ? { reasoning_content: reasoning } : {}),
      ...(signed.length > 0 ? { signed_thinking: signed } : {}),
    } as ChatRequest['messages'][number]);
    turn = undefined;
  };
  // A tool message holds text only: images a tool returned (Codex's view_image) follow the run of
  // tool outputs as one user message, each after a line that says which call's it is.
  let returned: UserPart[] = [];
  const flushReturned = () => {
    if (returned.length > 0) messages.push({ role: 'user', content: returned });
    returned = [];
  };
  // A tool search and its output pair by call id; one OpenAI's servers ran may have none.
  let searchId = '';
  items.forEach((item, i) => {
    const type = item.type ?? 'message';
    // Tools made available here: a chat request offers them all at its top (see `offered`). A web
    // search OpenAI ran (Codex's, on by default) left its findings in the answer after it: nothing to replay.
    if (type === 'additional_tools' || type === 'web_search_call') return;
    const at = `input[${i}]`;
    if (type !== 'function_call_output' && type !== 'custom_tool_call_output' && type !== 'tool_search_output') flushReturned();
    if (type === 'message' && item.role === 'assistant') {
      assistantTurn().content += textOf(item.content, `${at}.content`);
    } else if (type === 'reasoning') {
      // Summaries and reasoning text go back as reasoning; encrypted content is for OpenAI's servers,
      // but for Claude's thinking that this gateway carried in it, which goes back to Claude.
      const summaries = partsOf(item.summary, `${at}.summary`, 'an array of summary parts');
      const parts = [...summaries, ...partsOf(item.content, `${at}.content`, 'an array of content parts')];
      const current = assistantTurn();
      for (const block of decodeSignedThinking(item.encrypted_content) ?? []) current.signed.push(block);
      const text = parts.map((p, j) => textIn(p, j < summaries.length ? `${at}.summary[${j}]` : `${at}.content[${j - summaries.length}]`)).join('\n');
      current.reasoning = current.reasoning && text ? `${current.reasoning}\n${text}` : current.reasoning + text;
    } else if (type === 'function_call' || type === 'custom_tool_call') {
      const args = type === 'function_call' ? String(item.arguments ?? '') : JSON.stringify({ input: String(item.input ?? '') });
      assistantTurn().calls.push({ id: required(item.call_id, `${at}.call_id`), type: 'function', function: { name: chatToolName(required(item.name, `${at}.name`), item.namespace), arguments: args } });
    } else if (type === 'tool_search_call') {
      searchId = typeof item.call_id === 'string' && item.call_id ? item.call_id : `tool_search_${i}`;
      assistantTurn().calls.push({ id: searchId, type: 'function', function: { name: TOOL_SEARCH, arguments: JSON.stringify(item.arguments ?? {}) } });
    } else if (type === 'tool_search_output') {
      flush();
      const loaded = (Array.isArray(item.tools) ? (item.tools as Tool[]) : []).map((t) => t?.name).filter((name) => typeof name === 'string');
      const id = typeof item.call_id === 'string' && item.call_id ? item.call_id : searchId;
      messages.push({ role: 'tool', tool_call_id: id, content: loaded.length > 0 ? `Tools loaded: ${loaded.join(', ')}` : 'No tools found.' });
    } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      flush();
      const output = typeof item.output === 'string' ? item.output : userContent(item.output, `${at}.output`);
      const images = typeof output === 'string' ? [] : output.filter((p) => p.type === 'image_url');
      messages.push({ role: 'tool', tool_call_id: required(item.call_id, `${at}.call_id`), content: typeof output === 'string' ? output : output.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('') });
      if (images.length > 0) returned.push({ type: 'text', text: `The image${images.length > 1 ? 's' : ''} the tool call ${String(item.call_id)} returned:` });
      for (const image of images) returned.push(image);
    } else if (type === 'message') {
      flush();
      const role = item.role === 'developer' || item.role === 'system' ? 'system' : 'user';
      if (role === 'system') messages.push({ role, content: textOf(item.content, `${at}.content`) });
      else messages.push({ role, content: userContent(item.content, `${at}.content`) });
    } else if (type === 'agent_message') {
      // Another Codex agent's message to this one (a sub-agent's task): the user's turn, to a chat model.
      flush();
      messages.push({ role: 'user', content: agentMessageText(item.content, at) });
    } else if (type === 'item_reference') {
      // Kept items were put inline before this: this one the gateway never kept (or another client key did).
      throw new GatewayError('needs_native_api', `input item "${String(item.id)}" (an item_reference) is not among the responses this gateway kept, so only a deployment that speaks the Responses API may know it`, { param: `${at}.type` });
    } else {
      throw new GatewayError('needs_native_api', `input item type "${type}" can only go to a deployment that speaks the Responses API`, { param: `${at}.type` });
    }
  });
  flush();
  flushReturned();
  // Sent on, nothing would be asked: a chat API refuses it in its own words, and Ollama only loads the model.
  if (messages.length === 0) throw new GatewayError('invalid_request', "The request has no input: give this turn's input (a string or input items), or previous_response_id to go on from a kept response", { param: 'input' });

  const request: ChatRequest = { model: body.model, messages: withOneLeadingSystem(messages) };
  if (body.max_output_tokens != null) request.max_tokens = body.max_output_tokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.top_p = body.top_p;
  // The Responses API answers with log probabilities when they are included, with `top_logprobs` alternatives.
  if (body.include?.includes('message.output_text.logprobs')) {
    request.logprobs = true;
    if (body.top_logprobs) request.top_logprobs = body.top_logprobs;
  }
  const user = body.safety_identifier ?? body.user;
  if (user) request.user = user;
  if (offered.list.length > 0) {
    request.tools = offered.list.map(({ chatName, tool: t }) => ({
      type: 'function',
      function: {
        name: chatName,
        ...(t.description ? { description: t.description } : {}),
        // A custom tool takes free text; as a function its text travels in one string argument.
        parameters: (t.type === 'custom' ? { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] } : (t.parameters ?? (t.type === 'tool_search' ? SEARCH_PARAMETERS : { type: 'object', properties: {} }))) as Record<string, unknown>,
        ...(t.type === 'function' && t.strict != null && target === 'openai' ? { strict: t.strict } : {}),
      },
    }));
    const choice = toolChoice(body.tool_choice);
    if (choice) request.tool_choice = choice;
    if (body.parallel_tool_calls === false) request.parallel_tool_calls = false;
  }
  const effort = body.reasoning?.effort;
  if (effort) request.reasoning_effort = effort as ChatRequest['reasoning_effort'];
  const format = body.text?.format;
  if (format?.type === 'json_schema') {
    request.response_format = { type: 'json_schema', json_schema: { name: format.name ?? 'response', schema: format.schema as Record<string, unknown>, ...(format.strict != null ? { strict: format.strict } : {}), ...(format.description ? { description: format.description } : {}) } };
  } else if (format?.type === 'json_object') {
    request.response_format = { type: 'json_object' };
  }
  return body.stream ? copyWith(request, { stream: true, stream_options: { include_usage: true } }) : request;
}

/** A call's id or name, or an output's call id: a string, as OpenAI requires it, else refused with its path (not sent on as "undefined"). */
function required(value: unknown, at: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new GatewayError('invalid_request', `Missing required parameter: '${at}' (a non-empty string).`, { param: at });
}

/**
 * Content the translation reads: a string, or an array of parts, each an object with a type. Anything
 * else is refused with its path (the schema leaves it open: other item types use these fields differently).
 */
function partsOf(content: unknown, at: string, expected = 'a string or an array of content parts'): Part[] {
  if (content === undefined || content === null) return [];
  if (!Array.isArray(content)) throw new GatewayError('invalid_request', `${at} must be ${expected}`, { param: at });
  content.forEach((part, j) => {
    if (typeof part !== 'object' || part === null || Array.isArray(part)) throw new GatewayError('invalid_request', `${at}[${j}] must be a content part (an object with a type)`, { param: `${at}[${j}]` });
    if (typeof part.type !== 'string' || part.type === '') throw new GatewayError('invalid_request', `Missing required parameter: '${at}[${j}].type' (a non-empty string).`, { param: `${at}[${j}].type` });
  });
  return content as Part[];
}

/** A text part's text (or a refusal's), in OpenAI's words when it is not a string (an object was sent on as "[object Object]"). */
function textIn(part: Part, at: string, field: 'text' | 'refusal' = 'text'): string {
  const value = part[field];
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  throw new GatewayError('invalid_request', `Invalid type for '${at}.${field}': expected a string, but got ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`} instead.`, { param: `${at}.${field}` });
}

function textOf(content: unknown, at: string): string {
  if (typeof content === 'string') return content;
  return partsOf(content, at)
    .map((part, j) => {
      if (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') return textIn(part, `${at}[${j}]`);
      if (part.type === 'refusal') return textIn(part, `${at}[${j}]`, 'refusal');
      throw new GatewayError('invalid_request', `content part type "${part.type}" cannot go here`, { param: `${at}[${j}].type` });
    })
    .join('');
}

/**
 * A user message's content: text, images as image_url parts, files sent whole as file parts (which
 * each upstream's translation reads or passes over). Files by id or URL need OpenAI's servers.
 */
type UserPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
  | { type: 'file'; file: { file_data: string; filename?: string } };
function userContent(content: unknown, at: string): string | UserPart[] {
  if (typeof content === 'string') return content;
  const parts = partsOf(content, at).map((part, j): UserPart => {
    if (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') return { type: 'text' as const, text: textIn(part, `${at}[${j}]`) };
    if (part.type === 'input_image' && typeof part.image_url === 'string') {
      const detail: 'auto' | 'low' | 'high' = part.detail === 'low' || part.detail === 'high' ? part.detail : 'auto';
      return { type: 'image_url' as const, image_url: { url: part.image_url, detail } };
    }
    if (part.type === 'input_file' && typeof part.file_data === 'string' && part.file_data !== '') {
      return { type: 'file' as const, file: { file_data: part.file_data, ...(typeof part.filename === 'string' ? { filename: part.filename } : {}) } };
    }
    const what = part.type === 'input_image' ? 'an image by file_id' : part.type === 'input_file' ? 'a file by file_id or URL' : `content part type "${part.type}"`;
    throw new GatewayError('needs_native_api', `${what} can only go to a deployment that speaks the Responses API`, { param: `${at}[${j}]` });
  });
  return parts.every((p) => p.type === 'text') ? parts.map((p) => (p as { text: string }).text).join('') : parts;
}

/**
 * State the request names that only the upstream holding it has: an OpenAI conversation's items, a
 * stored prompt. A translation, or an Ollama's Responses API, would answer without it, silently.
 */
export function heldUpstream(body: Record<string, unknown>): { what: string; param: string } | undefined {
  const conversation = body.conversation as string | { id?: unknown } | null | undefined;
  const id = typeof conversation === 'string' ? conversation : conversation?.id;
  if (id != null) return { what: `The conversation "${String(id)}"`, param: 'conversation' };
  const prompt = body.prompt as { id?: unknown } | null | undefined;
  if (prompt && typeof prompt === 'object' && prompt.id != null) return { what: `The stored prompt "${String(prompt.id)}"`, param: 'prompt' };
  return undefined;
}

/**
 * Whether a deployment takes the request as sent (its upstream speaks Responses) rather than
 * translated; refused, as missing a capability, where it would answer without state the request names.
 * `items` is the whole conversation as the upstream would get it inline: a file in an earlier turn
 * (by `previous_response_id`) is refused as surely as one in this one.
 */
export function takesAsSent(body: ResponsesBody & Record<string, unknown>, items: readonly Item[], speaks: boolean, kind: ProviderConfig['kind']): boolean {
  const held = heldUpstream(body);
  if (held && (!speaks || kind === 'ollama')) throw new GatewayError('needs_native_api', `${held.what} is kept by the OpenAI-compatible server that made it: only a deployment of one that speaks the Responses API can answer with it`, { param: held.param });
  // An Ollama's Responses API reads less than the request may hold (ollama-reads.ts).
  return speaks && !(kind === 'ollama' && !ollamaReadsWhole(body, items));
}

/**
 * A Responses `tool_choice` in chat terms. `allowed_tools` lists tools as the Responses API names
 * them (`{type: "function", name}`, hosted tools beside them, which no chat model has).
 */
function toolChoice(choice: ResponsesBody['tool_choice']): ChatRequest['tool_choice'] | undefined {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  if (typeof choice !== 'object' || choice === null) return undefined;
  if ((choice.type === 'function' || choice.type === 'custom') && choice.name) return { type: 'function', function: { name: chatToolName(choice.name, choice.namespace) } };
  if (choice.type === 'allowed_tools' && Array.isArray(choice.tools)) {
    const tools = choice.tools.flatMap((tool) => ((tool?.type === 'function' || tool?.type === 'custom') && typeof tool.name === 'string' ? [{ type: 'function' as const, function: { name: chatToolName(tool.name, tool.namespace) } }] : []));
    return { type: 'allowed_tools', allowed_tools: { mode: choice.mode === 'required' ? 'required' : 'auto', tools } };
  }
  return undefined;
}
