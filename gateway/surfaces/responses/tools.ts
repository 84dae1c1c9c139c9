/**
 * The tools a Responses request offers, as the one flat list of functions a chat request carries.
 * Codex from 0.150 ("responses lite") sends no top-level `tools`: they come in an `additional_tools`
 * input item, grouped in namespaces (`{type: "namespace", name: "functions", tools: [...]}`), and a
 * call names its namespace beside its name. A namespaced tool is offered to a chat model as
 * `<namespace>__<name>`, and its calls go back to the client under their namespace and name.
 *
 * Codex also keeps MCP tools back until the model searches for them: a tool search the client runs
 * (`{type: "tool_search", execution: "client"}`) is offered as a function `tool_search`, a call to
 * it goes back as a `tool_search_call`, and the tools a `tool_search_output` loaded are offered from
 * then on. A search OpenAI's servers run is a hosted tool, left out like the others.
 */

export type Tool = { type: string; name?: string; description?: string | null; parameters?: unknown; strict?: boolean | null; format?: unknown; tools?: unknown; execution?: string };

/** The function a client-run tool search is offered as. */
export const TOOL_SEARCH = 'tool_search';

export interface OfferedTool {
  /** What a chat request names it. */
  chatName: string;
  name: string;
  namespace: string | undefined;
  tool: Tool;
}

export interface OfferedTools {
  /** Function, custom and client tool-search tools, in the order offered; the first of a name wins. */
  list: OfferedTool[];
  /** The tool a chat model's call names, when the request offered it. */
  called(chatName: string): OfferedTool | undefined;
}

/** A tool's name as a chat request gives it: its namespace (when it has one) first. */
export function chatToolName(name: string, namespace: unknown): string {
  return typeof namespace === 'string' && namespace !== '' ? `${namespace}__${name}` : name;
}

/** The tools a request offers, top-level, in `additional_tools` items and loaded by tool searches, namespaces opened (one level, as the API nests them). */
export function offeredTools(tools: readonly Tool[] | undefined, items: readonly { type?: string; tools?: unknown }[]): OfferedTools {
  const byName = new Map<string, OfferedTool>();
  const offer = (tool: Tool, namespace?: string) => {
    if (tool.type === 'tool_search' && tool.execution === 'client' && !byName.has(TOOL_SEARCH)) byName.set(TOOL_SEARCH, { chatName: TOOL_SEARCH, name: TOOL_SEARCH, namespace: undefined, tool });
    if ((tool.type !== 'function' && tool.type !== 'custom') || typeof tool.name !== 'string') return;
    const chatName = chatToolName(tool.name, namespace);
    if (!byName.has(chatName)) byName.set(chatName, { chatName, name: tool.name, namespace, tool });
  };
  const offerAll = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const tool of list as (Tool | null)[]) {
      if (!tool || typeof tool !== 'object') continue;
      if (tool.type === 'namespace' && typeof tool.name === 'string' && Array.isArray(tool.tools)) {
        for (const inner of tool.tools as (Tool | null)[]) if (inner && typeof inner === 'object') offer(inner, tool.name);
      } else {
        offer(tool);
      }
    }
  };
  offerAll(tools);
  for (const item of items) if (item?.type === 'additional_tools' || item?.type === 'tool_search_output') offerAll(item.tools);
  return { list: [...byName.values()], called: (chatName) => byName.get(chatName) };
}
