/**
 * Deferred tools in a Messages request, resolved for a model whose server does not defer them.
 * Claude Code with tool search (`ENABLE_TOOL_SEARCH`, which gateway guides recommend; some
 * versions turn it on for custom base URLs by themselves) sends its MCP tools with `defer_loading: true` and a `ToolSearch` tool of its own; a search
 * answers with `tool_reference` blocks in its tool result. Anthropic's servers show the model only
 * the tools not deferred, and each deferred one once a reference has loaded it. Everyone else
 * refuses the request ("Deferred custom tools are only supported on Anthropic models", pydantic's
 * "defer_loading: Extra inputs are not permitted"), or takes every tool at once: 250 MCP tools are
 * 180k tokens, more than a local model's whole window. Done here, the model sees what Claude
 * would, and a reference becomes a line of text that names the tool.
 */
type Block = Record<string, unknown> & { type?: unknown };
type Message = Record<string, unknown> & { role?: unknown; content?: unknown };
type Tool = Record<string, unknown> & { name?: unknown; type?: unknown; defer_loading?: unknown };
type Body = Record<string, unknown> & { tools?: unknown; messages?: unknown; tool_choice?: unknown };

/** Anthropic's own tool search (`tool_search_tool_regex_20251119`, `..._bm25_...`): only its servers run it. */
const SERVER_SEARCH = /^tool_search_tool_/;

/** The text a tool reference becomes. */
export function referenceText(block: Block): string {
  return `Tool available: ${String(block.tool_name ?? 'unknown')}`;
}

/** Whether a request defers tools or loads one by reference (a history begun with tool search). */
function defersTools(body: Body): boolean {
  return (Array.isArray(body.tools) && body.tools.some((tool: Tool | null) => tool?.defer_loading === true)) || loadedTools(body.messages).size > 0;
}

/**
 * The tools a model is shown now: those not deferred and those loaded by a reference so far (or
 * named by `tool_choice`). Where the only search is Anthropic's server-run one, which no other
 * server has, nothing could ever load a tool: every one is shown, as without tool search.
 */
export function toolsShown<T extends Tool>(tools: readonly T[], messages: unknown, choice: unknown): T[] {
  if (!tools.some((tool) => tool.defer_loading === true)) return tools as T[];
  if (tools.some((tool) => typeof tool.type === 'string' && SERVER_SEARCH.test(tool.type))) return tools.filter((tool) => !(typeof tool.type === 'string' && SERVER_SEARCH.test(tool.type)));
  const loaded = loadedTools(messages);
  const chosen = (choice as { name?: unknown } | null)?.name;
  return tools.filter((tool) => tool.defer_loading !== true || loaded.has(String(tool.name)) || tool.name === chosen);
}

/**
 * A Messages request with its deferral resolved, for a server that passes it through without
 * deferring: the tools shown now (without `defer_loading`), and each reference as text. The body
 * itself when it defers nothing.
 */
export function withDeferralResolved<T extends Body>(body: T): T {
  if (!defersTools(body)) return body;
  const tools = Array.isArray(body.tools) ? toolsShown(body.tools as Tool[], body.messages, body.tool_choice).map(({ defer_loading: _deferred, ...tool }) => tool) : body.tools;
  const messages = Array.isArray(body.messages) ? (body.messages as Message[]).map(withReferencesAsText) : body.messages;
  return { ...body, ...(tools === undefined ? {} : { tools }), messages };
}

/** A user turn's tool results with each reference a text block. */
function withReferencesAsText(message: Message): Message {
  if (message?.role !== 'user' || !Array.isArray(message.content)) return message;
  let changed = false;
  const content = (message.content as Block[]).map((block) => {
    if (block?.type !== 'tool_result' || !Array.isArray(block.content) || !block.content.some((inner: Block | null) => inner?.type === 'tool_reference')) return block;
    changed = true;
    return { ...block, content: (block.content as Block[]).map((inner) => (inner?.type === 'tool_reference' ? { type: 'text', text: referenceText(inner) } : inner)) };
  });
  return changed ? { ...message, content } : message;
}

/**
 * The tools a history has loaded: references in tool results (Claude Code's own search), and in
 * the results of Anthropic's server-run search (a session begun on Claude that moved on).
 */
function loadedTools(messages: unknown): Set<string> {
  const loaded = new Set<string>();
  if (!Array.isArray(messages)) return loaded;
  for (const message of messages as Message[]) {
    if (!Array.isArray(message?.content)) continue;
    for (const block of message.content as Block[]) {
      if (block?.type === 'tool_result' && Array.isArray(block.content)) {
        for (const inner of block.content as Block[]) if (inner?.type === 'tool_reference') loaded.add(String(inner.tool_name));
      } else if (block?.type === 'tool_search_tool_result') {
        const found = (block.content as { tool_references?: unknown } | null)?.tool_references;
        if (Array.isArray(found)) for (const reference of found as Block[]) loaded.add(String(reference?.tool_name));
      }
    }
  }
  return loaded;
}
