/**
 * How each tool is pointed at this gateway: the exact settings to copy (base URL, key, model) and,
 * for the tools Switchyard can configure itself, which one. Shared by the UI's Connect page (over
 * the admin API) and `switchyard connect`. Also which model a tool should ask for by default.
 */
import { chatModelNames } from '../config/for-clients';
import type { Config } from '../config/schema';
import { CLAUDE_TIERS, CLAUDE_WINDOW, ConnectError, type ToolId } from './editors';
import { didYouMean } from '../config/nearest';

export interface ToolGuide {
  id: string;
  name: string;
  /** The API the tool speaks to the gateway. */
  api: 'anthropic' | 'responses' | 'openai' | 'ollama';
  /** Set when `switchyard connect <id>` (and the desktop app's button) can write the tool's own config. */
  connect?: ToolId;
  /** Where that config lives, for people who edit it by hand. */
  configFile?: string;
  settings: { label: string; value: string }[];
  snippet?: { language: string; text: string };
}

export interface GuideContext {
  /** The gateway's root URL, e.g. http://127.0.0.1:7788. */
  url: string;
  /** The key tools should send: a real client key when keys are required, else any text. */
  key: string;
  keyRequired: boolean;
  model: string;
  models: readonly string[];
  /** The context window a tool should plan for with that model (context-window.ts), when known. */
  contextWindow?: number | undefined;
  /** Whether the config lets a web origin call the model APIs (`settings.allowedOrigins`). */
  allowsOrigin?: (origin: string) => boolean;
}

/** The model a tool is set to ask for: the one named, else the first route (or chat deployment). */
export function chooseModel(config: Config | undefined, named?: string): string {
  const names = chatModelNames(config);
  if (named) {
    if (config && !names.includes(named)) throw new ConnectError(`No route or chat deployment is named "${named}"${didYouMean(named, names)}. Choose one of: ${names.join(', ') || '(none yet)'}.`);
    return named;
  }
  const first = names[0];
  if (!first) throw new ConnectError('The config has no routes or chat deployments yet; add one first, or name one with --route.');
  return first;
}

export function toolGuides(ctx: GuideContext): ToolGuide[] {
  const { url, key, model } = ctx;
  const v1 = `${url}/v1`;
  const keyLabel = ctx.keyRequired ? 'API key (a client key)' : 'API key (any text; keys are not required)';
  return [
    {
      id: 'claude-code',
      name: 'Claude Code',
      api: 'anthropic',
      connect: 'claude-code',
      configFile: '~/.claude/settings.json (env)',
      settings: [
        { label: 'ANTHROPIC_BASE_URL', value: url },
        { label: 'ANTHROPIC_AUTH_TOKEN', value: key },
        { label: 'ANTHROPIC_MODEL', value: model },
        // Each tier (background tasks' haiku, /model and subagents' sonnet and opus); unset, they name a Claude id.
        ...CLAUDE_TIERS.map((label) => ({ label, value: model })),
        ...(ctx.contextWindow ? [{ label: CLAUDE_WINDOW, value: String(ctx.contextWindow) }] : []),
      ],
      snippet: { language: 'shell', text: `ANTHROPIC_BASE_URL=${url} ANTHROPIC_AUTH_TOKEN=${key} ANTHROPIC_MODEL=${model} ${CLAUDE_TIERS.map((name) => `${name}=${model}`).join(' ')}${ctx.contextWindow ? ` ${CLAUDE_WINDOW}=${ctx.contextWindow}` : ''} claude` },
    },
    {
      id: 'codex',
      name: 'Codex CLI',
      api: 'responses',
      connect: 'codex',
      configFile: '~/.codex/config.toml',
      settings: [
        { label: 'base_url', value: v1 },
        { label: 'wire_api', value: 'responses' },
        { label: 'model', value: model },
        // Without it Codex knows no window for the model, and never compacts a long session.
        ...(ctx.contextWindow ? [{ label: 'model_context_window', value: String(ctx.contextWindow) }] : []),
      ],
      snippet: {
        language: 'toml',
        text: `model_provider = "switchyard"\nmodel = "${model}"\n${ctx.contextWindow ? `model_context_window = ${ctx.contextWindow}\n` : ''}\n[model_providers.switchyard]\nname = "Switchyard"\nbase_url = "${v1}"\nwire_api = "responses"\nhttp_headers = { Authorization = "Bearer ${key}" }\n`,
      },
    },
    {
      id: 'opencode',
      name: 'opencode',
      api: 'openai',
      connect: 'opencode',
      configFile: '~/.config/opencode/opencode.json',
      settings: [
        { label: 'baseURL', value: v1 },
        { label: 'apiKey', value: key },
        { label: 'model', value: `switchyard/${model}` },
      ],
      snippet: {
        language: 'json',
        text: JSON.stringify({ provider: { switchyard: { npm: '@ai-sdk/openai-compatible', name: 'Switchyard', options: { baseURL: v1, apiKey: key }, models: Object.fromEntries(ctx.models.map((m) => [m, { name: m }])) } }, model: `switchyard/${model}` }, null, 2),
      },
    },
    {
      id: 'continue',
      name: 'Continue',
      api: 'ollama',
      configFile: '~/.continue/config.yaml',
      settings: [
        { label: 'provider', value: 'ollama' },
        { label: 'apiBase', value: url },
        { label: 'model', value: model },
      ],
      snippet: { language: 'yaml', text: `models:\n  - name: Switchyard ${model}\n    provider: ollama\n    apiBase: ${url}\n    model: ${model}\n    roles: [chat, edit, apply, autocomplete]\n` },
    },
    {
      id: 'cline',
      name: 'Cline / Roo Code',
      api: 'ollama',
      settings: [
        { label: 'API Provider', value: 'Ollama (or "OpenAI Compatible" with the base URL below)' },
        { label: 'Base URL (Ollama)', value: url },
        { label: 'Base URL (OpenAI Compatible)', value: v1 },
        { label: keyLabel, value: key },
        { label: 'Model', value: model },
      ],
    },
    {
      id: 'vscode',
      name: 'VS Code (GitHub Copilot)',
      api: 'ollama',
      configFile: 'VS Code settings.json',
      settings: [
        { label: 'github.copilot.chat.byok.ollamaEndpoint', value: url },
        { label: 'Then', value: 'Chat: Manage Language Models, Ollama, and pick a route (its tools, vision and window come from /api/show)' },
        // Copilot's Ollama provider sends no key at all.
        ...(ctx.keyRequired ? [{ label: 'Client keys', value: 'Copilot sends none: use a gateway that does not require them' }] : []),
      ],
      snippet: { language: 'json', text: JSON.stringify({ 'github.copilot.chat.byok.ollamaEndpoint': url }, null, 2) },
    },
    {
      id: 'xcode',
      name: 'Xcode',
      api: 'openai',
      settings: [
        { label: 'Settings', value: 'Intelligence, Add a Model Provider, Locally Hosted' },
        // Xcode asks a locally hosted provider for its port alone, and calls /v1/models and /v1/chat/completions on localhost.
        { label: 'Port', value: portOf(url) },
        { label: 'Then', value: `pick a route among its models (${model} by default)` },
        ...(ctx.keyRequired ? [{ label: 'Client keys', value: 'a locally hosted provider sends none: use a gateway that does not require them' }] : []),
      ],
    },
    {
      id: 'aider',
      name: 'Aider',
      api: 'openai',
      settings: [
        { label: '--openai-api-base', value: v1 },
        { label: '--openai-api-key', value: key },
        { label: '--model', value: `openai/${model}` },
      ],
      snippet: { language: 'shell', text: `aider --openai-api-base ${v1} --openai-api-key ${key} --model openai/${model}` },
    },
    {
      // Goose's OpenAI provider takes the host and the path apart (a host ending in /v1 asks for
      // /v1/v1/...), and assumes 128,000 tokens for a model it does not know: a local model's window is
      // given instead, so its compaction starts before the model truncates.
      id: 'goose',
      name: 'Goose',
      api: 'openai',
      configFile: '~/.config/goose/config.yaml (or the same names in the environment; the key only in the environment)',
      settings: [
        { label: 'GOOSE_PROVIDER', value: 'openai' },
        { label: 'OPENAI_HOST', value: url },
        { label: 'OPENAI_BASE_PATH', value: 'v1/chat/completions' },
        { label: 'OPENAI_API_KEY', value: key },
        { label: 'GOOSE_MODEL', value: model },
        ...(ctx.contextWindow ? [{ label: 'GOOSE_CONTEXT_LIMIT', value: String(ctx.contextWindow) }] : []),
      ],
      snippet: { language: 'shell', text: `GOOSE_PROVIDER=openai OPENAI_HOST=${url} OPENAI_BASE_PATH=v1/chat/completions OPENAI_API_KEY=${key} GOOSE_MODEL=${model}${ctx.contextWindow ? ` GOOSE_CONTEXT_LIMIT=${ctx.contextWindow}` : ''} goose session` },
    },
    {
      id: 'zed',
      name: 'Zed',
      api: 'ollama',
      configFile: '~/.config/zed/settings.json',
      settings: [{ label: 'language_models.ollama.api_url', value: url }],
      snippet: { language: 'json', text: JSON.stringify({ language_models: { ollama: { api_url: url } } }, null, 2) },
    },
    {
      id: 'open-webui',
      name: 'Open WebUI',
      api: 'ollama',
      settings: [
        { label: 'OLLAMA_BASE_URL', value: url },
        { label: 'OPENAI_API_BASE_URL', value: v1 },
        { label: 'OPENAI_API_KEY', value: key },
      ],
      // The host's network, as Open WebUI's own guide suggests for a server on the host's loopback:
      // host.docker.internal reaches no loopback listener, and the gateway refuses that Host name
      // anyway (DNS-rebinding guard). Open WebUI then serves on port 8080.
      snippet: { language: 'shell', text: `docker run -d --network=host -v open-webui:/app/backend/data -e OLLAMA_BASE_URL=${url} --name open-webui ghcr.io/open-webui/open-webui:main` },
    },
    {
      id: 'obsidian',
      name: 'Obsidian plugins (Copilot, Smart Connections)',
      api: 'ollama',
      settings: [
        { label: 'Ollama base URL', value: url },
        { label: 'OpenAI-format base URL', value: v1 },
        { label: 'API key', value: key },
        originToAllow(ctx, '', 'app://obsidian.md', 'app://obsidian.md'),
      ],
    },
    {
      id: 'browser-extensions',
      name: 'Browser extensions (Page Assist)',
      api: 'ollama',
      settings: [
        { label: 'Ollama URL', value: url },
        originToAllow(ctx, ' for Chrome and Edge', 'chrome-extension://*', 'chrome-extension://abcdefghijklmnop'),
        originToAllow(ctx, ' for Firefox', 'moz-extension://*', 'moz-extension://0123abcd-4567-89ef'),
      ],
    },
    {
      id: 'openai-sdk',
      name: 'OpenAI SDK',
      api: 'openai',
      settings: [
        { label: 'baseURL', value: v1 },
        { label: 'apiKey', value: key },
        { label: 'model', value: model },
      ],
      snippet: { language: 'typescript', text: `import OpenAI from 'openai';\nconst client = new OpenAI({ baseURL: '${v1}', apiKey: '${key}' });\nawait client.chat.completions.create({ model: '${model}', messages: [{ role: 'user', content: 'Hello' }] });` },
    },
    {
      id: 'ollama-sdk',
      name: 'Ollama clients',
      api: 'ollama',
      settings: [
        { label: 'OLLAMA_HOST', value: url },
        { label: 'model', value: model },
      ],
      snippet: { language: 'typescript', text: `import { Ollama } from 'ollama';\nconst ollama = new Ollama({ host: '${url}'${ctx.keyRequired ? `, headers: { Authorization: 'Bearer ${key}' }` : ''} });\nawait ollama.chat({ model: '${model}', messages: [{ role: 'user', content: 'Hello' }] });` },
    },
    {
      id: 'anthropic-sdk',
      name: 'Anthropic SDK',
      api: 'anthropic',
      settings: [
        { label: 'baseURL', value: url },
        { label: 'apiKey', value: key },
        { label: 'model', value: model },
      ],
      snippet: { language: 'typescript', text: `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ baseURL: '${url}', apiKey: '${key}' });\nawait client.messages.create({ model: '${model}', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] });` },
    },
  ];
}

/** The web origin such a tool calls from (`rule` covers it) as the value to copy, and whether the config allows it yet. */
function originToAllow(ctx: GuideContext, which: string, rule: string, example: string): { label: string; value: string } {
  const state = ctx.allowsOrigin?.(example) ? 'allowed' : 'not allowed yet: add it to the web origins in Settings';
  return { label: `Web origin${which} (${state})`, value: rule };
}

/** A URL's port, its scheme's default when it names none. */
function portOf(url: string): string {
  const parsed = new URL(url);
  return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
}
