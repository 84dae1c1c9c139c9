/**
 * How each coding agent run in a terminal is pointed at this gateway: Claude Code, Codex and
 * opencode (which `switchyard connect` can set up itself), and the ones to set up by hand (each as
 * run against the gateway here where the note beside it says so).
 */
import { answerRoom } from './context-window';
import { CLAUDE_TIERS, CLAUDE_WINDOW, opencodeModel } from './editors';
import { TOOL } from '../config/tool-names';
import type { GuideContext, ToolGuide } from './guide-types';

/** The variable a tool that reads its key from the environment is told to read. */
const KEY_VARIABLE = 'SWITCHYARD_API_KEY';

export function agentGuides(ctx: GuideContext): ToolGuide[] {
  const { url, key, model } = ctx;
  const v1 = `${url}/v1`;
  const window = ctx.windows?.get(model);
  return [
    {
      id: 'claude-code',
      name: 'Claude Code',
      seenAs: [TOOL.claudeCode],
      api: 'anthropic',
      connect: 'claude-code',
      configFile: '~/.claude/settings.json (env)',
      settings: [
        { label: 'ANTHROPIC_BASE_URL', value: url },
        { label: 'ANTHROPIC_AUTH_TOKEN', value: key },
        { label: 'ANTHROPIC_MODEL', value: model },
        // Each tier (background tasks' haiku, /model and subagents' sonnet and opus); unset, they name a Claude id.
        ...CLAUDE_TIERS.map((label) => ({ label, value: model })),
        ...(window ? [{ label: CLAUDE_WINDOW, value: String(window) }] : []),
      ],
      snippet: { language: 'shell', text: `ANTHROPIC_BASE_URL=${url} ANTHROPIC_AUTH_TOKEN=${key} ANTHROPIC_MODEL=${model} ${CLAUDE_TIERS.map((name) => `${name}=${model}`).join(' ')}${window ? ` ${CLAUDE_WINDOW}=${window}` : ''} claude` },
    },
    {
      id: 'codex',
      name: 'Codex CLI',
      seenAs: [TOOL.codex],
      api: 'responses',
      connect: 'codex',
      configFile: '~/.codex/config.toml',
      settings: [
        { label: 'base_url', value: v1 },
        { label: 'wire_api', value: 'responses' },
        { label: 'model', value: model },
        // Without it Codex knows no window for the model, and never compacts a long session.
        ...(window ? [{ label: 'model_context_window', value: String(window) }] : []),
      ],
      snippet: {
        language: 'toml',
        text: `model_provider = "switchyard"\nmodel = "${model}"\n${window ? `model_context_window = ${window}\n` : ''}\n[model_providers.switchyard]\nname = "Switchyard"\nbase_url = "${v1}"\nwire_api = "responses"\nhttp_headers = { Authorization = "Bearer ${key}" }\n`,
      },
    },
    {
      id: 'opencode',
      name: 'opencode',
      seenAs: [TOOL.opencode],
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
        text: JSON.stringify({ provider: { switchyard: { npm: '@ai-sdk/openai-compatible', name: 'Switchyard', options: { baseURL: v1, apiKey: key }, models: Object.fromEntries(ctx.models.map((m) => [m, opencodeModel(m, ctx.windows?.get(m))])) } }, model: `switchyard/${model}` }, null, 2),
      },
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
        ...(window ? [{ label: 'GOOSE_CONTEXT_LIMIT', value: String(window) }] : []),
      ],
      snippet: { language: 'shell', text: `GOOSE_PROVIDER=openai OPENAI_HOST=${url} OPENAI_BASE_PATH=v1/chat/completions OPENAI_API_KEY=${key} GOOSE_MODEL=${model}${window ? ` GOOSE_CONTEXT_LIMIT=${window}` : ''} goose session` },
    },
    {
      // Qwen Code reads a key only from the variable an entry names (its settings' `env` is the fallback).
      id: 'qwen-code',
      name: 'Qwen Code',
      api: 'openai',
      configFile: '~/.qwen/settings.json',
      settings: [
        { label: 'modelProviders.openai[].baseUrl', value: v1 },
        { label: 'modelProviders.openai[].envKey', value: KEY_VARIABLE },
        { label: KEY_VARIABLE, value: key },
        { label: 'model.name', value: model },
      ],
      snippet: {
        language: 'json',
        text: JSON.stringify(
          { modelProviders: { openai: ctx.models.map((m) => ({ id: m, name: `${m} (Switchyard)`, baseUrl: v1, envKey: KEY_VARIABLE })) }, env: { [KEY_VARIABLE]: key }, security: { auth: { selectedType: 'openai' } }, model: { name: model } },
          null,
          2,
        ),
      },
    },
    {
      // Crush's "openai-compat" type is its own for servers other than OpenAI's; it plans for each model's window only when told it.
      id: 'crush',
      name: 'Crush',
      api: 'openai',
      configFile: '~/.config/crush/crush.json (or crush.json in a project)',
      settings: [
        { label: 'providers.switchyard.type', value: 'openai-compat' },
        { label: 'base_url', value: v1 },
        { label: 'api_key', value: key },
        { label: 'models[].id', value: model },
        ...(window ? [{ label: 'models[].context_window', value: String(window) }] : []),
      ],
      snippet: {
        language: 'json',
        text: JSON.stringify(
          {
            $schema: 'https://charm.land/crush.json',
            providers: { switchyard: { type: 'openai-compat', name: 'Switchyard', base_url: v1, api_key: key, models: ctx.models.map((m) => ({ id: m, name: m, ...(ctx.windows?.has(m) ? { context_window: ctx.windows.get(m) } : {}) })) } },
          },
          null,
          2,
        ),
      },
    },
    {
      // With a provider of the user's own (BYOK) Copilot CLI needs no GitHub login. A model not in its
      // catalog gets its default limits (it warns so): the route's window is given instead, split as
      // opencode's is, the answer's room kept out of the prompt's.
      id: 'copilot-cli',
      name: 'GitHub Copilot CLI',
      seenAs: [TOOL.copilotCli],
      api: 'openai',
      settings: [
        { label: 'COPILOT_PROVIDER_BASE_URL', value: v1 },
        { label: 'COPILOT_PROVIDER_API_KEY', value: key },
        { label: 'COPILOT_MODEL', value: model },
        ...copilotLimits(window).map(([label, value]) => ({ label, value: String(value) })),
      ],
      snippet: { language: 'shell', text: `COPILOT_PROVIDER_BASE_URL=${v1} COPILOT_PROVIDER_API_KEY=${key} COPILOT_MODEL=${model}${copilotLimits(window).map(([label, value]) => ` ${label}=${value}`).join('')} copilot` },
    },
    {
      // pi sends the OpenAI SDK's User-Agent: the X-Title header it is given names it in the usage log.
      // Without a window it plans for 128,000 tokens and asks for 16,384 in each answer.
      id: 'pi',
      name: 'pi',
      seenAs: [TOOL.pi],
      api: 'openai',
      configFile: '~/.pi/agent/models.json',
      settings: [
        { label: 'providers.switchyard.baseUrl', value: v1 },
        { label: 'api', value: 'openai-completions' },
        { label: 'apiKey', value: key },
        { label: 'headers.X-Title', value: TOOL.pi },
        { label: 'models[].id', value: model },
        ...(window ? [{ label: 'models[].contextWindow', value: String(window) }, { label: 'models[].maxTokens', value: String(answerRoom(window)) }] : []),
        { label: 'Run', value: `pi --provider switchyard --model ${model}` },
      ],
      snippet: {
        language: 'json',
        text: JSON.stringify(
          { providers: { switchyard: { baseUrl: v1, api: 'openai-completions', apiKey: key, headers: { 'X-Title': TOOL.pi }, models: ctx.models.map((m) => piModel(m, ctx.windows?.get(m))) } } },
          null,
          2,
        ),
      },
    },
    {
      // Its `openai` provider is OpenAI-compatible; its requests carry the AI SDK's User-Agent alone.
      id: 'cline-cli',
      name: 'Cline CLI',
      api: 'openai',
      configFile: '~/.cline (written by cline auth)',
      settings: [
        { label: '--provider (-p)', value: 'openai' },
        { label: '--baseurl (-b)', value: v1 },
        { label: '--apikey (-k)', value: key },
        { label: '--modelid (-m)', value: model },
      ],
      snippet: { language: 'shell', text: `cline auth -p openai -b ${v1} -k ${key} -m ${model}` },
    },
  ];
}

/** Copilot CLI's prompt and answer limits for a window: both, or none where the window is unknown. */
function copilotLimits(window: number | undefined): [string, number][] {
  if (!window) return [];
  const answer = answerRoom(window);
  return [['COPILOT_PROVIDER_MAX_PROMPT_TOKENS', window - answer], ['COPILOT_PROVIDER_MAX_OUTPUT_TOKENS', answer]];
}

/** A model in pi's models.json: its window and the answer's room in it, where the window is known. */
function piModel(id: string, window: number | undefined): { id: string; contextWindow?: number; maxTokens?: number } {
  return window ? { id, contextWindow: window, maxTokens: answerRoom(window) } : { id };
}
