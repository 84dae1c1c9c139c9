/**
 * The names the usage log gives the tools that send requests (http/client-tool.ts tells them from
 * headers), as the config, the budgets, the rules and the metrics refer to them.
 */

/** Names are cut to this and kept to printable ASCII: the log's rows stay small whatever a client sends. */
export const MAX_TOOL_CHARS = 48;

/** The names the log gives the tools it knows; the Connect page's guides name theirs by these. */
export const TOOL = {
  claudeCode: 'Claude Code',
  claudeAgentSdk: 'Claude Agent SDK',
  codex: 'Codex',
  opencode: 'opencode',
  copilot: 'VS Code (GitHub Copilot)',
  copilotCli: 'GitHub Copilot CLI',
  cline: 'Cline',
  /** pi names itself with the X-Title its Connect guide gives it. */
  pi: 'pi',
  roo: 'Roo Code',
  openaiJs: 'OpenAI SDK (JS)',
  openaiPython: 'OpenAI SDK (Python)',
  anthropicJs: 'Anthropic SDK (JS)',
  anthropicPython: 'Anthropic SDK (Python)',
  ollamaJs: 'Ollama SDK (JS)',
  ollamaPython: 'Ollama SDK (Python)',
  litellm: 'LiteLLM',
  aiSdk: 'AI SDK',
  langchainJs: 'LangChain (JS)',
  openaiAgents: 'OpenAI Agents SDK',
  browser: 'a browser',
  /** The dashboard's own playground. */
  playground: 'Playground',
} as const;

/** Whether a request's tool is `name` or one of its subagents ("Codex (review)" is Codex's), as budgets and rules count them. */
export function isToolOf(tool: string | null | undefined, name: string): boolean {
  return tool === name || (typeof tool === 'string' && tool.startsWith(`${name} (`));
}
