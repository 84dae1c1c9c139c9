/**
 * How editors, chat apps, plugins and the SDKs are pointed at this gateway: the settings to copy,
 * and for those that call from a web origin, whether the config lets them yet.
 */
import { TOOL } from '../config/tool-names';
import type { GuideContext, ToolGuide } from './guide-types';

export function appGuides(ctx: GuideContext): ToolGuide[] {
  const { url, key, model, embedModel } = ctx;
  const v1 = `${url}/v1`;
  const keyLabel = ctx.keyRequired ? 'API key (a client key)' : 'API key (any text; keys are not required)';
  return [
    {
      id: 'continue',
      name: 'Continue',
      api: 'ollama',
      configFile: '~/.continue/config.yaml',
      settings: [
        { label: 'provider', value: 'ollama' },
        { label: 'apiBase', value: url },
        { label: 'model', value: model },
        // What @Codebase and @Docs index with: without one Continue uses an embedder of its own.
        ...(embedModel ? [{ label: 'embeddings model (roles: [embed])', value: embedModel }] : []),
      ],
      snippet: {
        language: 'yaml',
        text: `models:\n${continueModel(url, model, '[chat, edit, apply, autocomplete]')}${embedModel ? continueModel(url, embedModel, '[embed]') : ''}`,
      },
    },
    {
      id: 'cline',
      name: 'Cline / Roo Code',
      seenAs: [TOOL.cline, TOOL.roo],
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
      seenAs: [TOOL.copilot],
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
      // Its Ollama provider lists the routes (`/api/tags`); the OpenAI-compatible one takes a key, for gateways that require one.
      id: 'jetbrains',
      name: 'JetBrains AI Assistant',
      api: 'ollama',
      settings: [
        { label: 'Settings', value: 'Tools, AI Assistant, Providers & API keys: under Third-party AI providers, Ollama' },
        { label: 'Host URL', value: url },
        { label: 'Then', value: `Test Connection, and pick a route among the local models by Ollama (${model} by default)` },
        ...(ctx.keyRequired ? [{ label: 'With client keys required', value: `the OpenAI-compatible provider instead: URL ${v1}, API Key a client key, model ${model}` }] : []),
      ],
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
        // What it embeds documents with: without these, a SentenceTransformers model of its own.
        ...(embedModel ? [{ label: 'RAG_EMBEDDING_ENGINE', value: 'ollama' }, { label: 'RAG_EMBEDDING_MODEL', value: embedModel }, { label: 'RAG_OLLAMA_BASE_URL', value: url }] : []),
      ],
      // The host's network, as Open WebUI's own guide suggests for a server on the host's loopback:
      // host.docker.internal reaches no loopback listener, and the gateway refuses that Host name
      // anyway (DNS-rebinding guard). Open WebUI then serves on port 8080.
      snippet: {
        language: 'shell',
        text: `docker run -d --network=host -v open-webui:/app/backend/data -e OLLAMA_BASE_URL=${url}${embedModel ? ` -e RAG_EMBEDDING_ENGINE=ollama -e RAG_EMBEDDING_MODEL=${embedModel} -e RAG_OLLAMA_BASE_URL=${url}` : ''} --name open-webui ghcr.io/open-webui/open-webui:main`,
      },
    },
    {
      // Its LLM and its embedder each speak Ollama's API (the ollama npm client), with one Bearer token for both.
      id: 'anythingllm',
      name: 'AnythingLLM',
      api: 'ollama',
      settings: [
        { label: 'LLM Preference', value: 'Ollama' },
        { label: 'Ollama Model', value: model },
        { label: 'Ollama Base URL (advanced settings)', value: url },
        ...(ctx.keyRequired ? [{ label: 'Auth Token (advanced settings; the embedder sends it too)', value: key }] : []),
        // Without these it embeds documents with a model of its own (all-MiniLM-L6-v2), never the gateway's.
        ...(embedModel ? [{ label: 'Embedder Preference', value: 'Ollama' }, { label: 'Embedder: Ollama Base URL', value: url }, { label: 'Embedder: Embedding Model', value: embedModel }] : []),
      ],
      // The server's .env (its Docker image, or a self-hosted install) says the same.
      snippet: {
        language: 'shell',
        text: [
          `LLM_PROVIDER='ollama'`,
          `OLLAMA_BASE_PATH='${url}'`,
          `OLLAMA_MODEL_PREF='${model}'`,
          ...(ctx.keyRequired ? [`OLLAMA_AUTH_TOKEN='${key}'`] : []),
          ...(embedModel ? [`EMBEDDING_ENGINE='ollama'`, `EMBEDDING_BASE_PATH='${url}'`, `EMBEDDING_MODEL_PREF='${embedModel}'`] : []),
        ].join('\n'),
      },
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
      seenAs: [TOOL.browser],
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
      seenAs: [TOOL.openaiJs, TOOL.openaiPython],
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
      seenAs: [TOOL.ollamaJs, TOOL.ollamaPython],
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
      seenAs: [TOOL.anthropicJs, TOOL.anthropicPython],
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

/** One entry of Continue's config.yaml `models`. */
function continueModel(url: string, model: string, roles: string): string {
  return `  - name: Switchyard ${model}\n    provider: ollama\n    apiBase: ${url}\n    model: ${model}\n    roles: ${roles}\n`;
}
