/**
 * The Messages front door's request codec, pure: a Messages request (as Claude Code and the Anthropic
 * SDK send it) to the canonical chat shape for upstreams that do not speak Messages (answers go back
 * in output.ts). Upstreams that speak Messages get the request itself (pass-through); nothing here
 * touches those.
 */
import { createHash } from 'node:crypto';
import type { ProviderConfig } from '../../config/schema';
import { GatewayError } from '../../errors';
import type { ChatRequest, Message as ChatMessage } from '../../wire/canonical';
import { withoutBillingHeader } from '../../wire/billing-header';
import { withoutInlineSystem } from '../../wire/system-reminders';
import { referenceText, toolsShown } from '../../wire/tool-deferral';
import { DETAILS_PREFIX } from '../../wire/reasoning-details';
import type { SignedThinking } from '../../wire/signed-thinking';
import { withStream } from '../../wire/copy-with';
import { documentsAsText, readable, textIn } from '../../wire/document-text';

type Block = { type: string; [key: string]: unknown };
type OutputFormat = { type: string; schema?: unknown };
type InMessage = { role: string; content: string | Block[] };
/** The Messages request fields this codec reads; the rest pass through only to Messages upstreams. */
export interface MessagesBody {
  model: string;
  max_tokens?: number;
  messages: InMessage[];
  system?: string | Block[];
  tools?: { name: string; description?: string; input_schema?: unknown; type?: string | null; defer_loading?: boolean }[];
  tool_choice?: { type: 'auto' | 'any' | 'tool' | 'none'; name?: string; disable_parallel_tool_use?: boolean };
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  metadata?: { user_id?: string | null };
  thinking?: { type: 'enabled' | 'disabled' | 'adaptive' | string; budget_tokens?: number };
  output_config?: { effort?: string | null; format?: OutputFormat | null };
  /** Structured outputs' first form (beta `structured-outputs-2025-11-13`), deprecated for `output_config.format`; still sent by the AI SDK's Anthropic provider of early 2026 (3.0.20; 3.0.60 sends `output_config.format`). */
  output_format?: OutputFormat | null;
  stream?: boolean;
  /** Anthropic's MCP connector: servers its API connects to, whose tools it runs. */
  mcp_servers?: unknown[];
}

/** A Messages request as a canonical chat request, for an upstream of `target` kind. */
export function messagesToChat(sent: MessagesBody, target: ProviderConfig['kind']): ChatRequest {
  const body = withoutInlineSystem(withoutBillingHeader(sent));
  // Translated, the servers would be dropped and the model would answer without their tools, as if it had none.
  if (Array.isArray(body.mcp_servers) && body.mcp_servers.length > 0) {
    throw new GatewayError('needs_native_api', "mcp_servers names MCP servers that Anthropic's API connects to (its MCP connector): a request that uses them can only go to a deployment that speaks the Messages API", { param: 'mcp_servers' });
  }
  const messages: ChatRequest['messages'] = [];
  const system = textOf(body.system, 'system');
  if (system) messages.push({ role: 'system', content: system });
  body.messages.forEach((message, i) => {
    // Anthropic's rule, in its words: an empty turn would reach a chat model as no turn at all.
    if (carriesNothing(message.content) && !(message.role === 'assistant' && i === body.messages.length - 1)) {
      throw new GatewayError('invalid_request', `messages.${i}: all messages must have non-empty content except for the optional final assistant message`, { param: `messages[${i}].content` });
    }
    if (message.role === 'assistant') messages.push(assistant(message.content, i));
    // A loop, not a spread: a turn may hold more tool results than a call takes arguments.
    else for (const turn of user(message.content, i)) messages.push(turn);
  });
  const request: ChatRequest = { model: body.model, messages };
  if (body.max_tokens != null) request.max_tokens = body.max_tokens;
  if (body.stop_sequences?.length) request.stop = body.stop_sequences;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.top_p = body.top_p;
  // top_k has no OpenAI field (OpenAI refuses unknown ones); an Ollama upstream takes it as an option.
  if (body.top_k != null && target === 'ollama') (request as ChatRequest & { top_k?: number }).top_k = body.top_k;
  if (body.metadata?.user_id) request.user = endUserId(body.metadata.user_id);
  const tools = chatTools(body);
  if (tools.length > 0) {
    request.tools = tools.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: (t.input_schema ?? { type: 'object', properties: {} }) as Record<string, unknown> } }));
    const choice = body.tool_choice;
    if (choice?.type === 'any') request.tool_choice = 'required';
    else if (choice?.type === 'none') request.tool_choice = 'none';
    else if (choice?.type === 'tool' && choice.name) request.tool_choice = { type: 'function', function: { name: choice.name } };
    if (choice?.disable_parallel_tool_use) request.parallel_tool_calls = false;
  }
  const effort = reasoningEffort(body);
  if (effort) request.reasoning_effort = effort;
  const format = outputFormat(body);
  if (format?.type === 'json_schema' && format.schema) request.response_format = { type: 'json_schema', json_schema: { name: 'response', schema: format.schema as Record<string, unknown> } };
  return body.stream ? withStream(request, true) : request;
}

/**
 * Whether a deployment takes the request as sent (its server speaks Messages) rather than
 * translated. An Ollama's Messages API leaves out without a word a structured output's schema (its
 * `output_config` has an effort alone), where its chat API keeps it as `format`; `tool_choice`, so
 * its model may call a tool the client said not to, where the translation offers none (`none`) or
 * only the one named (`tool`); and the schema of Anthropic's own tools but web search (`bash`,
 * `text_editor` and the like, which only Anthropic's servers know), which reach its model as
 * functions of no parameters, where the translation leaves them out (chatTools).
 */
export function takesAsSent(body: MessagesBody, speaks: boolean, kind: ProviderConfig['kind']): boolean {
  if (!speaks || kind !== 'ollama') return speaks;
  const tools = body.tools ?? [];
  const narrowed = tools.length > 0 && (body.tool_choice?.type === 'none' || body.tool_choice?.type === 'tool');
  const anthropics = tools.some((tool) => tool?.type != null && tool.type !== 'custom' && !tool.type.startsWith('web_search'));
  return outputFormat(body) == null && !narrowed && !anthropics;
}

/** A structured output's format, in either of the places Anthropic's API has taken it. */
function outputFormat(body: MessagesBody): OutputFormat | null | undefined {
  return body.output_config?.format ?? body.output_format;
}

/**
 * The tools a chat model can be offered: those the client defines. Anthropic's own (`web_search`,
 * `web_fetch` and `code_execution`, which its servers run; `bash`, `text_editor`, `computer` and
 * `memory`, whose schemas only its servers know) are left out of a request that offers others too.
 * A request that offers only those asks for them (Claude Code's WebSearch sends one with the
 * search tool alone): answered without them, a model would make its results up, so it goes to a
 * deployment that speaks Messages, or is refused naming the tool.
 */
function chatTools(body: MessagesBody): NonNullable<MessagesBody['tools']> {
  const shown = toolsShown(body.tools ?? [], body.messages, body.tool_choice);
  const own = shown.filter((t) => t.type == null || t.type === 'custom');
  if (own.length === 0 && shown.length > 0) {
    const at = (body.tools ?? []).indexOf(shown[0] as NonNullable<MessagesBody['tools']>[number]);
    throw new GatewayError('needs_native_api', `tools[${at}] is Anthropic's "${String(shown[0]?.type)}" tool, which only Anthropic's API runs or defines: a request that offers no other tool can only go to a deployment that speaks the Messages API`, { param: `tools[${at}].type` });
  }
  return own;
}

/**
 * Claude Code's `metadata.user_id` (its device, account and session) runs past 150 characters;
 * OpenAI-compatible servers cap the `user` it becomes (OpenRouter at 128, OpenAI's `safety_identifier`
 * at 64) and refuse the whole request past it. A longer one goes as a digest: as stable per user.
 */
function endUserId(id: string): string {
  return id.length <= 64 ? id : `sha256:${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

/** Extended thinking as a reasoning effort: its own (OpenAI's have the same names), or its budget sorted into low, medium or high. */
function reasoningEffort(body: MessagesBody): ChatRequest['reasoning_effort'] | undefined {
  const explicit = body.output_config?.effort;
  if (explicit === 'low' || explicit === 'medium' || explicit === 'high' || explicit === 'xhigh' || explicit === 'max') return explicit;
  const thinking = body.thinking;
  if (!thinking || thinking.type === 'disabled') return thinking?.type === 'disabled' ? 'none' : undefined;
  if (thinking.type === 'enabled') {
    const budget = thinking.budget_tokens ?? 0;
    return budget <= 2048 ? 'low' : budget <= 8192 ? 'medium' : 'high';
  }
  return 'medium';
}

/** Empty content, or only empty text blocks (Claude Code has sent those): nothing for a chat model to read. */
function carriesNothing(content: string | Block[]): boolean {
  return typeof content === 'string' ? content === '' : content.every((block) => block.type === 'text' && !block.text);
}

function textOf(content: string | Block[] | undefined, at: string): string {
  if (typeof content === 'string') return content;
  return (content ?? []).flatMap((b, k) => (b.type === 'text' ? [textIn(b, `${at}[${k}]`)] : b.type === 'tool_reference' ? [referenceText(b)] : [])).join('\n');
}

/** A call's id or name, or a result's call id, as Anthropic requires it: a string, else refused with its path (not sent on as "undefined"). */
function named(value: unknown, at: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new GatewayError('invalid_request', `${at}: Field required (a non-empty string)`, { param: at });
}

/** A call's input: an object (Anthropic's rule; absent, none given). */
function inputOf(value: unknown, at: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new GatewayError('invalid_request', `${at} must be an object (the tool's arguments)`, { param: at });
}

/** A tool result's content (the schema leaves a block's fields open): a string or blocks, else refused with its path. */
function toolResultBlocks(content: unknown, at: string): string | Block[] {
  if (content === undefined || content === null) return '';
  if (typeof content !== 'string' && (!Array.isArray(content) || content.some((b) => typeof b !== 'object' || b === null || Array.isArray(b)))) {
    throw new GatewayError('invalid_request', `${at} must be a string or an array of content blocks`, { param: at });
  }
  const untyped = Array.isArray(content) ? content.findIndex((b: Block) => typeof b.type !== 'string' || b.type === '') : -1;
  if (untyped >= 0) throw new GatewayError('invalid_request', `${at}[${untyped}].type: Field required (a non-empty string)`, { param: `${at}[${untyped}].type` });
  return content as string | Block[];
}

/** An image block as a chat image part (a data URL for base64), refused with its path when it holds neither. */
function imagePart(block: Block, at: string): ImagePart {
  const source = block.source as { type?: string; media_type?: string; data?: string; url?: string } | null;
  // An image uploaded through Anthropic's Files API: only Anthropic's API can read it by its id.
  if (source?.type === 'file') throw new GatewayError('needs_native_api', `${at} is an image by file_id: it can only go to a deployment that speaks the Messages API`, { param: `${at}.source` });
  const url = source?.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source?.url;
  // Anthropic's error body has no param: the message names the field.
  if (!url) throw new GatewayError('invalid_request', `${at}.source must hold an image as base64 data or a URL`, { param: `${at}.source` });
  return { type: 'image_url', image_url: { url } };
}

type ImagePart = { type: 'image_url'; image_url: { url: string } };

/**
 * A user turn: its tool results become tool messages (first: in the chat API they must follow the
 * assistant's calls at once), then its text and images as one user message. A tool message holds
 * text only, so the images a tool returned (Claude Code reading a screenshot) go in that user
 * message, each after a line that says which call's it is.
 */
function user(content: string | Block[], index: number): ChatRequest['messages'] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const out: ChatRequest['messages'] = [];
  const returned: ({ type: 'text'; text: string } | ImagePart)[] = [];
  const parts: ({ type: 'text'; text: string } | ImagePart)[] = [];
  content.forEach((block, j) => {
    const at = `messages[${index}].content[${j}]`;
    if (block.type === 'tool_result') {
      const result = documentsAsText(toolResultBlocks(block.content, `${at}.content`), `${at}.content`);
      const text = textOf(result, `${at}.content`);
      const callId = named(block.tool_use_id, `${at}.tool_use_id`);
      out.push({ role: 'tool', tool_call_id: callId, content: block.is_error ? `Error: ${text}` : text });
      const images = typeof result === 'string' ? [] : result.flatMap((b, k) => (b.type === 'image' ? [imagePart(b, `${at}.content[${k}]`)] : []));
      if (images.length > 0) returned.push({ type: 'text', text: `The image${images.length > 1 ? 's' : ''} the tool call ${callId} returned:` });
      for (const image of images) returned.push(image);
    } else if (block.type === 'text' || block.type === 'document' || block.type === 'search_result') {
      parts.push({ type: 'text', text: readable(block, at) });
    } else if (block.type === 'image') {
      parts.push(imagePart(block, at));
    } else {
      throw new GatewayError('needs_native_api', `content block type "${block.type}" can only go to a deployment that speaks the Messages API`, { param: `messages[${index}].content[${j}].type` });
    }
  });
  // Spread into a literal, not into unshift's arguments: a turn may hold more images than a call takes.
  const all = [...returned, ...parts];
  if (all.length > 0) {
    const texts = all.flatMap((p) => (p.type === 'text' ? [p.text] : []));
    out.push({ role: 'user', content: texts.length === all.length ? texts.join('\n') : all });
  }
  return out;
}

/**
 * An assistant turn: text, its thinking kept as reasoning (models that reason want it back), tool
 * calls, and the reasoning details another server gave it (wire/reasoning-details.ts), for that server.
 */
function assistant(content: string | Block[], index: number): ChatRequest['messages'][number] {
  if (typeof content === 'string') return { role: 'assistant', content };
  let text = '';
  let reasoning = '';
  const calls: NonNullable<ChatMessage['tool_calls']> = [];
  const carried: SignedThinking[] = [];
  content.forEach((block, j) => {
    if (block.type === 'text') text += textIn(block, `messages[${index}].content[${j}]`);
    else if (block.type === 'thinking') reasoning += String(block.thinking ?? '');
    else if (block.type === 'redacted_thinking' && typeof block.data === 'string' && block.data.startsWith(DETAILS_PREFIX)) carried.push({ type: 'redacted_thinking', data: block.data });
    else if (block.type === 'tool_use') {
      const at = `messages[${index}].content[${j}]`;
      calls.push({ id: named(block.id, `${at}.id`), type: 'function', function: { name: named(block.name, `${at}.name`), arguments: JSON.stringify(inputOf(block.input, `${at}.input`)) } });
    }
  });
  return { role: 'assistant', content: calls.length > 0 && !text ? null : text, ...(calls.length > 0 ? { tool_calls: calls } : {}), ...(reasoning ? { reasoning_content: reasoning } : {}), ...(carried.length > 0 ? { signed_thinking: carried } : {}) } as ChatRequest['messages'][number];
}
