/**
 * A chat request's `tool_choice` read for a server whose API says it otherwise or not at all
 * (Anthropic's, Ollama's). The front doors take any object there (servers differ on what they
 * accept), so each shape is read as unknown and a malformed one reads as no choice.
 */
import type { ChatRequest } from './canonical';

type FunctionTool = Extract<NonNullable<ChatRequest['tools']>[number], { type: 'function' }>;

export interface ToolsChosen {
  /** Every function offered. */
  offered: FunctionTool[];
  /** Those the model may call: all, or what a named choice or `allowed_tools` lists. */
  allowed: FunctionTool[];
  /** The function a named choice names (offered or not: a server that forces it says so). */
  named: string | undefined;
  /** What the model must do: call one of them (`required`, a named function), not call any (`none`), or choose. */
  mode: 'auto' | 'required' | 'none';
}

export function toolsChosen(request: ChatRequest): ToolsChosen {
  const offered = (request.tools ?? []).filter((tool): tool is FunctionTool => tool?.type === 'function' && typeof tool.function?.name === 'string');
  const all = (mode: ToolsChosen['mode']): ToolsChosen => ({ offered, allowed: offered, named: undefined, mode });
  const choice: unknown = request.tool_choice;
  if (choice === 'none' || choice === 'required') return all(choice);
  if (typeof choice !== 'object' || choice === null) return all('auto');
  const shape = choice as { type?: unknown; function?: { name?: unknown }; name?: unknown; allowed_tools?: { mode?: unknown; tools?: unknown } };
  if (shape.type === 'function') {
    const name = shape.function?.name ?? shape.name;
    if (typeof name !== 'string') return all('auto');
    return { offered, allowed: offered.filter((tool) => tool.function.name === name), named: name, mode: 'required' };
  }
  const listed = shape.allowed_tools?.tools;
  if (shape.type === 'allowed_tools' && Array.isArray(listed)) {
    const names = new Set(listed.map((tool: { name?: unknown; function?: { name?: unknown } } | null) => tool?.function?.name ?? tool?.name));
    return { offered, allowed: offered.filter((tool) => names.has(tool.function.name)), named: undefined, mode: shape.allowed_tools?.mode === 'required' ? 'required' : 'auto' };
  }
  return all('auto');
}
