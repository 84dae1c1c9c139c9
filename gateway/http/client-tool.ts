/**
 * Which tool sent a request, for the usage log and the dashboard ("Claude Code", "Codex", "curl"):
 * a header only that tool sends (its session header, Codex's `originator`), then its User-Agent
 * (`claude-cli/2.1.3 (external, cli)`, `codex_cli_rs/0.98.0 (...)`), then GitHub Copilot's
 * `x-initiator` (to a provider of the user's own, its CLI sends only the SDKs' User-Agents), then
 * the app name many tools give OpenRouter (`X-Title`: Cline, Roo Code, Kilo Code), then the SDK or
 * program the User-Agent names, else its first word; a Codex subagent's requests name it too
 * ("Codex (review)"). Read from headers alone, each looked at once and only its start.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { MAX_TOOL_CHARS, TOOL } from '../config/tool-names';

/** Only this much of a header is read: every pattern below matches near its start. */
const READ_CHARS = 200;

/** What a User-Agent says of the tool itself, before any X-Title (a tool's own name wins over an app name it passes on). */
const TOOLS: readonly [RegExp, string][] = [
  [/^claude-cli\/\S+ \(external, sdk-/i, TOOL.claudeAgentSdk],
  [/^claude-cli\//i, TOOL.claudeCode],
  [/^codex[_-]/i, TOOL.codex],
  [/^opencode\//i, TOOL.opencode],
  [/^GitHubCopilotChat\//i, TOOL.copilot],
  [/^RooCode\//i, TOOL.roo],
];

/** SDKs and libraries many tools are built on: named after X-Title, which says which tool used them. */
const LIBRARIES: readonly [RegExp, string][] = [
  [/^OpenAI\/JS\b/i, TOOL.openaiJs],
  [/^OpenAI\/Python\b/i, TOOL.openaiPython],
  [/^Anthropic\/JS\b/i, TOOL.anthropicJs],
  [/^Anthropic\/Python\b/i, TOOL.anthropicPython],
  [/^ollama-js\//i, TOOL.ollamaJs],
  [/^ollama-python\//i, TOOL.ollamaPython],
  [/^litellm\//i, TOOL.litellm],
  // A provider called directly says `ai-sdk/openai/3.0.141`; through generateText or streamText `ai/6.0.333` comes first.
  [/^(ai-sdk\/|ai\/\d)/i, TOOL.aiSdk],
  [/^langchainjs-/i, TOOL.langchainJs],
  [/^Agents\/(JavaScript|Python)\b/i, TOOL.openaiAgents],
  [/^Mozilla\//, TOOL.browser],
];

export function toolOf(headers: IncomingHttpHeaders): string | null {
  if (headers['x-claude-code-session-id']) return TOOL.claudeCode;
  if (headers['x-opencode-session']) return TOOL.opencode;
  const agent = agentSays(first(headers['user-agent']));
  const tool = headers.originator && /^codex/i.test(first(headers.originator)) ? TOOL.codex : agent.tool;
  // Codex's subagents say which they are (review, compact, memory_consolidation): their requests are told apart.
  const subagent = tool === TOOL.codex ? printable(first(headers['x-openai-subagent'])).slice(0, 24) : '';
  if (tool) return subagent ? `${tool} (${subagent})` : tool;
  if (headers['x-initiator']) return TOOL.copilotCli;
  const title = headers['x-title'] ? printable(first(headers['x-title'])) : '';
  return title || agent.otherwise;
}

/** What a User-Agent says: the tool it names, else the library or program it names (after any X-Title). */
type AgentSays = { tool: string | undefined; otherwise: string | null };

/**
 * Kept by User-Agent: a tool sends the same one on every request, and reading one afresh tests up to
 * seventeen patterns (about 0.5 us, where a lookup is a twentieth of it). Emptied when full, so what it
 * holds stays bounded whatever User-Agents clients send.
 */
const known = new Map<string, AgentSays>();
const KNOWN_AGENTS = 256;

function agentSays(agent: string): AgentSays {
  let says = known.get(agent);
  if (says === undefined) {
    if (known.size >= KNOWN_AGENTS) known.clear();
    says = { tool: TOOLS.find(([pattern]) => pattern.test(agent))?.[1], otherwise: otherwise(agent) };
    known.set(agent, says);
  }
  return says;
}

function otherwise(agent: string): string | null {
  const library = LIBRARIES.find(([pattern]) => pattern.test(agent));
  if (library) return library[1];
  // The program's own name, without its version: `curl/8.5.0` is curl, `python-requests/2.32` python-requests.
  return printable(/^[^\s/;(]+/.exec(agent)?.[0] ?? '') || null;
}

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).slice(0, READ_CHARS);
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '').trim().slice(0, MAX_TOOL_CHARS).trim();
}
