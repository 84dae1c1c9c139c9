/**
 * Each tool's own config file, edited in place: only the keys that point the tool at Switchyard are
 * set, everything else (other keys, comments, formatting) is left as it was. A file that does not
 * parse is refused, never rewritten. Pure: text in, text out.
 */
import { applyEdits, modify, parse } from 'jsonc-parser';
import { jsonProblem } from '../config/json-problem';
import { parse as parseToml, TomlError } from 'smol-toml';
import { answerRoom } from './context-window';

export type ToolId = 'claude-code' | 'codex' | 'opencode';
export const WRITABLE_TOOLS: readonly ToolId[] = ['claude-code', 'codex', 'opencode'];

/** What a tool is pointed at: the gateway's root URL, the client key it sends, the model (route) it asks for. */
export interface Target {
  url: string;
  key: string;
  model: string;
  /** Every model name a tool may offer in its picker. */
  models: readonly string[];
  /** The context window the tool should plan for with each of `models` (context-window.ts), where known. */
  windows?: ReadonlyMap<string, number> | undefined;
}

export class ConnectError extends Error {}

/** The window the tool should plan for with the model it is set to ask for. */
const plannedWindow = (target: Target) => target.windows?.get(target.model);

/** The name Switchyard's entries go under in tools that keep several providers. */
export const PROVIDER_ID = 'switchyard';

/** What a tool sends as its key to a gateway that requires none (tools refuse an empty one): no secret. */
export const OPEN_KEY = 'switchyard';

const JSON_FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

function jsonObject(text: string, what: string): void {
  const problem = jsonProblem(text, true);
  if (problem) throw new ConnectError(`${what} is not valid JSON (${problem}); it was left untouched. Fix it, or move it aside, and run again.`);
  const value: unknown = parse(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConnectError(`${what} does not hold a JSON object; it was left untouched.`);
}

function setJson(text: string, edits: [path: (string | number)[], value: unknown][]): string {
  let out = text;
  for (const [path, value] of edits) out = applyEdits(out, modify(out, path, value, JSON_FORMAT));
  return out.endsWith('\n') ? out : `${out}\n`;
}

/** The window Claude Code plans a model id it does not know for (its own default for those: 200k). */
export const CLAUDE_WINDOW = 'CLAUDE_CODE_MAX_CONTEXT_TOKENS';

/** The models Claude Code's tiers stand for (`/model opus`, a subagent's `model: sonnet`, background tasks' haiku). */
export const CLAUDE_TIERS = ['ANTHROPIC_DEFAULT_OPUS_MODEL', 'ANTHROPIC_DEFAULT_SONNET_MODEL', 'ANTHROPIC_DEFAULT_HAIKU_MODEL'];

/** Claude Code: `env` in ~/.claude/settings.json (ANTHROPIC_BASE_URL without /v1, the key as a bearer token). */
function claudeCode(current: string | undefined, target: Target, what: string): string {
  const text = current ?? '{}';
  jsonObject(text, what);
  return setJson(text, [
    [['env', 'ANTHROPIC_BASE_URL'], target.url],
    [['env', 'ANTHROPIC_AUTH_TOKEN'], target.key],
    [['env', 'ANTHROPIC_MODEL'], target.model],
    // Each tier Claude Code names (background tasks ask for haiku, /model and subagents for sonnet or
    // opus) is this route; unset, it would ask for a Claude id no route has.
    ...CLAUDE_TIERS.map((name): [string[], string] => [['env', name], target.model]),
    // A model id it does not know gets 200k: auto-compaction past a smaller route's window, or long before a larger one's.
    ...(plannedWindow(target) ? [[['env', CLAUDE_WINDOW], String(plannedWindow(target))] as [string[], string]] : []),
  ]);
}

/**
 * A model as opencode's config names it: with its `limit` where its window is known. Without one,
 * opencode plans for no window (it never compacts a long session) and 1.4.3 asked for answers of
 * at most 0 tokens, which every request was refused for.
 */
export function opencodeModel(name: string, window: number | undefined): { name: string; limit?: { context: number; output: number } } {
  return window ? { name, limit: { context: window, output: answerRoom(window) } } : { name };
}

/** opencode: a provider through the AI SDK's OpenAI-compatible package, and the default model. */
function opencode(current: string | undefined, target: Target, what: string): string {
  const text = current ?? '{\n  "$schema": "https://opencode.ai/config.json"\n}';
  jsonObject(text, what);
  const models = Object.fromEntries(target.models.map((name) => [name, opencodeModel(name, target.windows?.get(name))]));
  return setJson(text, [
    [['provider', PROVIDER_ID], { npm: '@ai-sdk/openai-compatible', name: 'Switchyard', options: { baseURL: `${target.url}/v1`, apiKey: target.key }, models }],
    [['model'], `${PROVIDER_ID}/${target.model}`],
  ]);
}

const TABLE_HEADER = /^\s*\[/;
const OUR_TABLE = new RegExp(`^\\s*\\[\\s*model_providers\\.${PROVIDER_ID}\\s*\\]\\s*(#.*)?$`);
const tomlString = (value: string) => JSON.stringify(value);

/**
 * Codex: `[model_providers.switchyard]` speaking Responses, chosen by the top-level
 * `model_provider` and `model`. TOML has no edit-preserving library, so the edit is by lines: our
 * table replaced or appended, the two top-level keys replaced or inserted before the first table;
 * the result is parsed again and must say what was meant, or nothing is written.
 */
function codex(current: string | undefined, target: Target, what: string): string {
  const text = current ?? '';
  parseTomlOrRefuse(text, what);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();

  const start = lines.findIndex((line) => OUR_TABLE.test(line));
  if (start >= 0) {
    let end = start + 1;
    while (end < lines.length && !TABLE_HEADER.test(lines[end] as string)) end++;
    lines.splice(start, end - start);
  }
  const firstTable = lines.findIndex((line) => TABLE_HEADER.test(line));
  const topEnd = firstTable < 0 ? lines.length : firstTable;
  // Top-level keys as TOML values; the window only when known (Codex then compacts at 90% of it).
  const values: Record<string, string> = { model_provider: tomlString(PROVIDER_ID), model: tomlString(target.model), ...(plannedWindow(target) ? { model_context_window: String(plannedWindow(target)) } : {}) };
  for (const [key, value] of Object.entries(values)) {
    const pattern = new RegExp(`^\\s*${key}\\s*=`);
    const at = lines.slice(0, topEnd).findIndex((line) => pattern.test(line));
    // The value alone is replaced: a comment after it stays.
    if (at >= 0) lines[at] = (lines[at] as string).replace(/^(\s*[\w-]+\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#]+)/, (_, prefix: string) => `${prefix}${value}`);
  }
  const missing = Object.keys(values).filter((key) => !lines.slice(0, topEnd).some((line) => new RegExp(`^\\s*${key}\\s*=`).test(line)));
  lines.splice(topEnd > 0 && lines[topEnd - 1]?.trim() === '' ? topEnd - 1 : topEnd, 0, ...missing.map((key) => `${key} = ${values[key] as string}`));
  if (lines.length > 0 && lines.at(-1)?.trim() !== '') lines.push('');
  lines.push(
    `[model_providers.${PROVIDER_ID}]`,
    'name = "Switchyard"',
    `base_url = ${tomlString(`${target.url}/v1`)}`,
    'wire_api = "responses"',
    `http_headers = { Authorization = ${tomlString(`Bearer ${target.key}`)} }`,
  );
  const out = `${lines.join('\n')}\n`;

  const parsed = parseTomlOrRefuse(out, what) as { model_provider?: unknown; model?: unknown; model_context_window?: unknown; model_providers?: Record<string, { base_url?: unknown }> };
  if (parsed.model_provider !== PROVIDER_ID || parsed.model !== target.model || (plannedWindow(target) && parsed.model_context_window !== plannedWindow(target)) || parsed.model_providers?.[PROVIDER_ID]?.base_url !== `${target.url}/v1`) {
    throw new ConnectError(`${what} is laid out in a way this edit cannot follow safely (for example an inline model_providers table); it was left untouched. Add the settings shown by --dry-run by hand.`);
  }
  return out;
}

function parseTomlOrRefuse(text: string, what: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) throw new ConnectError(`${what} is not valid TOML (line ${error.line}: ${error.message.split('\n')[0]}); it was left untouched. Fix it, or move it aside, and run again.`);
    throw error;
  }
}

/** The key a tool's file already sends to Switchyard, so connecting again keeps it (and stays a no-op). */
export function writtenKey(tool: ToolId, text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    if (tool === 'codex') {
      const header = (parseToml(text) as { model_providers?: Record<string, { http_headers?: { Authorization?: unknown } }> }).model_providers?.[PROVIDER_ID]?.http_headers?.Authorization;
      return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    }
    const value = parse(text, [], { allowTrailingComma: true }) as { env?: { ANTHROPIC_AUTH_TOKEN?: unknown }; provider?: Record<string, { options?: { apiKey?: unknown } }> } | undefined;
    const key = tool === 'claude-code' ? value?.env?.ANTHROPIC_AUTH_TOKEN : value?.provider?.[PROVIDER_ID]?.options?.apiKey;
    return typeof key === 'string' && key ? key : undefined;
  } catch {
    return undefined;
  }
}

export const EDITORS: Record<ToolId, (current: string | undefined, target: Target, what: string) => string> = { 'claude-code': claudeCode, codex, opencode };
