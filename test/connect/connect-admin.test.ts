/**
 * Connecting tools over the admin API (the Connect page and the desktop app's button): the same
 * settings and edits as `switchyard connect`, against a temporary HOME.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { toolOf } from '../../gateway/http/client-tool';
import { startFakeOllama } from '../support/fake-ollama';
import { startGateway, tempDir, twoTierConfig } from '../support/harness';

let home: { path: string; remove(): void };
beforeEach(() => {
  home = tempDir();
});
afterEach(() => {
  home.remove();
});

describe('the admin API (the Connect page and the desktop app\'s button)', () => {
  it('says a key is required, and makes one on connecting, when the gateway listens beyond loopback', async () => {
    const h = await startGateway(twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' }), { host: '0.0.0.0', env: { HOME: home.path } });
    try {
      const local = `http://127.0.0.1:${h.port}`;
      const admin = (path: string, init: RequestInit = {}) => fetch(`${local}${path}`, { ...init, headers: { cookie: h.cookie, 'content-type': 'application/json' } });
      const guides = await admin('/admin/api/connect').then((r) => r.json());
      expect(guides).toMatchObject({ url: local, keyRequired: true });
      const made = await admin('/admin/api/connect/claude-code', { method: 'POST', body: '{}' }).then((r) => r.json());
      expect(made).toMatchObject({ applied: true, createdKey: 'claude-code' });
      const token = JSON.parse(readFileSync(made.file, 'utf8')).env.ANTHROPIC_AUTH_TOKEN as string;
      expect(h.gateway.keys.verify(token)?.name).toBe('claude-code');
    } finally {
      await h.stop();
    }
  });

  it('lists every tool with this gateway\'s settings, and connects and undoes a tool like the CLI', async () => {
    const h = await startGateway(twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' }), { env: { HOME: home.path } });
    try {
      const guides = await h.admin('/admin/api/connect').then((r) => r.json());
      expect(guides).toMatchObject({ url: h.url, keyRequired: false, model: 'default', connected: [] });
      expect(guides.tools.map((t: { id: string }) => t.id)).toEqual(['claude-code', 'codex', 'opencode', 'aider', 'goose', 'qwen-code', 'crush', 'copilot-cli', 'pi', 'cline-cli', 'continue', 'cline', 'vscode', 'xcode', 'jetbrains', 'zed', 'open-webui', 'anythingllm', 'obsidian', 'browser-extensions', 'openai-sdk', 'ollama-sdk', 'anthropic-sdk']);
      // Tools in a web view or a browser say which web origin to allow, and whether it is allowed yet.
      const origin = (tools: { id: string; settings: { label: string; value: string }[] }[], id: string) => tools.find((t) => t.id === id)!.settings.filter((s) => s.label.startsWith('Web origin')).map((s) => `${s.value} ${s.label}`);
      expect(origin(guides.tools, 'obsidian')).toEqual(['app://obsidian.md Web origin (not allowed yet: add it to the web origins in Settings)']);
      h.gateway.applyConfig({ ...h.gateway.config(), settings: { allowedOrigins: ['app://obsidian.md', 'chrome-extension://*'] } }, 'test');
      const allowed = (await h.admin('/admin/api/connect').then((r) => r.json())).tools;
      expect([...origin(allowed, 'obsidian'), ...origin(allowed, 'browser-extensions')]).toEqual([
        'app://obsidian.md Web origin (allowed)',
        'chrome-extension://* Web origin for Chrome and Edge (allowed)',
        'moz-extension://* Web origin for Firefox (not allowed yet: add it to the web origins in Settings)',
      ]);
      h.gateway.applyConfig({ ...h.gateway.config(), settings: {} }, 'test');
      expect(guides.tools[0].settings).toContainEqual({ label: 'ANTHROPIC_BASE_URL', value: h.url });
      // What to copy is what `connect` writes: without the small model's name, background tasks ask for a Claude id.
      expect(guides.tools[0].settings).toContainEqual({ label: 'ANTHROPIC_DEFAULT_HAIKU_MODEL', value: 'default' });
      // And the route's window (its largest deployment's: gpt-4.1-mini's), for a model id Claude Code does not know.
      expect(guides.tools[0].snippet.text).toContain('ANTHROPIC_DEFAULT_HAIKU_MODEL=default CLAUDE_CODE_MAX_CONTEXT_TOKENS=1047576 claude');
      // A container reaches a loopback gateway on the host's network (the gateway refuses Host: host.docker.internal).
      const webui = guides.tools.find((t: { id: string }) => t.id === 'open-webui');
      expect(webui.snippet.text).toContain(`--network=host`);
      expect(webui.snippet.text).toContain(`OLLAMA_BASE_URL=${h.url} `);
      // Goose takes the host and the path apart, and is told the route's window (it assumes 128,000 otherwise).
      expect(guides.tools.find((t: { id: string }) => t.id === 'goose').snippet.text).toBe(`GOOSE_PROVIDER=openai OPENAI_HOST=${h.url} OPENAI_BASE_PATH=v1/chat/completions OPENAI_API_KEY=switchyard GOOSE_MODEL=default GOOSE_CONTEXT_LIMIT=1047576 goose session`);
      // Qwen Code and Crush are given every model to pick from, as the JSON their settings files hold; Crush, the route's window.
      const snippetOf = (id: string) => JSON.parse(guides.tools.find((t: { id: string }) => t.id === id).snippet.text);
      const qwen = snippetOf('qwen-code');
      expect(qwen).toMatchObject({ env: { SWITCHYARD_API_KEY: 'switchyard' }, security: { auth: { selectedType: 'openai' } }, model: { name: 'default' } });
      expect(qwen.modelProviders.openai).toContainEqual({ id: 'cloud-first', name: 'cloud-first (Switchyard)', baseUrl: `${h.url}/v1`, envKey: 'SWITCHYARD_API_KEY' });
      const crush = snippetOf('crush').providers.switchyard;
      expect(crush).toMatchObject({ type: 'openai-compat', base_url: `${h.url}/v1`, api_key: 'switchyard' });
      expect(crush.models).toContainEqual({ id: 'default', name: 'default', context_window: 1_047_576 });
      expect(crush.models).toContainEqual({ id: 'llama', name: 'llama', context_window: 8_192 });
      // GitHub Copilot CLI, pi and Cline's CLI as run here (1.0.102, 0.73.1, 3.0.65). Copilot and pi are told the route's window
      // (Copilot warns of a model not in its catalog and assumes its defaults), split as opencode's below; pi names itself as X-Title.
      expect(guides.tools.find((t: { id: string }) => t.id === 'copilot-cli').snippet.text).toBe(`COPILOT_PROVIDER_BASE_URL=${h.url}/v1 COPILOT_PROVIDER_API_KEY=switchyard COPILOT_MODEL=default COPILOT_PROVIDER_MAX_PROMPT_TOKENS=1015576 COPILOT_PROVIDER_MAX_OUTPUT_TOKENS=32000 copilot`);
      const pi = snippetOf('pi').providers.switchyard;
      expect(pi).toMatchObject({ baseUrl: `${h.url}/v1`, api: 'openai-completions', apiKey: 'switchyard', headers: { 'X-Title': 'pi' } });
      expect(pi.models).toContainEqual({ id: 'llama', contextWindow: 8_192, maxTokens: 2_048 });
      expect(toolOf({ 'user-agent': 'OpenAI/JS 6.26.0', 'x-title': pi.headers['X-Title'] })).toBe('pi');
      expect(guides.tools.find((t: { id: string }) => t.id === 'cline-cli').snippet.text).toBe(`cline auth -p openai -b ${h.url}/v1 -k switchyard -m default`);
      // opencode is given each model's limit: the window, and a quarter of it (at most 32,000) kept for the answer.
      const opencode = snippetOf('opencode').provider.switchyard.models;
      expect(opencode.default).toEqual({ name: 'default', limit: { context: 1_047_576, output: 32_000 } });
      expect(opencode.llama).toEqual({ name: 'llama', limit: { context: 8_192, output: 2_048 } });
      // Xcode takes a locally hosted provider's port alone.
      expect(guides.tools.find((t: { id: string }) => t.id === 'xcode').settings).toContainEqual({ label: 'Port', value: new URL(h.url).port });

      const post = (body: unknown) => h.admin('/admin/api/connect/claude-code', { method: 'POST', body: JSON.stringify(body) });
      const preview = await post({ dryRun: true, route: 'cloud-first' }).then((r) => r.json());
      expect(preview).toMatchObject({ tool: 'claude-code', changed: true, applied: false, file: join(home.path, '.claude', 'settings.json') });
      expect(preview.diff).toContain(`+    "ANTHROPIC_BASE_URL": "${h.url}"`);
      expect(existsSync(preview.file)).toBe(false);

      expect(await post({ route: 'cloud-first' }).then((r) => r.json())).toMatchObject({ applied: true });
      expect(JSON.parse(readFileSync(preview.file, 'utf8')).env.ANTHROPIC_MODEL).toBe('cloud-first');
      const after = await h.admin('/admin/api/connect').then((r) => r.json());
      expect(after.connected).toEqual(['claude-code']);
      // Where each tool's file points it now: Claude Code here, asking for the route it was given; the others have no file.
      expect(after.connections).toEqual([
        { tool: 'claude-code', state: 'here', url: h.url, route: 'cloud-first', unknownRoute: false },
        { tool: 'codex', state: 'none', url: null, route: null, unknownRoute: false },
        { tool: 'opencode', state: 'none', url: null, route: null, unknownRoute: false },
      ]);
      // The route renamed in the dashboard: Claude Code still asks for the old name, refused on each request; the page says so.
      const route = (await h.admin('/admin/api/routes').then((r) => r.json())).routes.find((r: { name: string }) => r.name === 'cloud-first');
      const rename = (from: string, to: string) => h.admin(`/admin/api/routes/${from}`, { method: 'PUT', body: JSON.stringify({ ...route, name: to }) });
      expect((await rename('cloud-first', 'cloud-later')).status).toBe(200);
      expect((await h.admin('/admin/api/connect').then((r) => r.json())).connections[0]).toEqual({ tool: 'claude-code', state: 'here', url: h.url, route: 'cloud-first', unknownRoute: true });
      expect((await rename('cloud-later', 'cloud-first')).status).toBe(200);
      expect(await post({ undo: true }).then((r) => r.json())).toMatchObject({ applied: true });
      expect(existsSync(preview.file)).toBe(false);

      const wrong = await h.admin('/admin/api/connect/cursor', { method: 'POST', body: '{}' });
      expect(wrong.status).toBe(400);
      expect((await wrong.json()).error.message).toContain('can set up claude-code, codex, opencode');
    } finally {
      await h.stop();
    }
  });

  it("gives Codex and opencode the route's context window from what the gateway learned of its models", async () => {
    const ollama = await startFakeOllama({ models: ['qwen3:8b'] });
    const config = { version: 1, providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url }], deployments: [{ name: 'qwen', provider: 'local', model: 'qwen3:8b', numCtx: 'auto' }], routes: [{ name: 'coder', deployments: ['qwen'] }] };
    const h = await startGateway(config, { env: { HOME: home.path } });
    try {
      const codexSettings = async () => (await h.admin('/admin/api/connect').then((r) => r.json())).tools.find((t: { id: string }) => t.id === 'codex').settings;
      // Its trained context is not known before Ollama is asked: nothing is said rather than a guess.
      expect(await codexSettings()).not.toContainEqual(expect.objectContaining({ label: 'model_context_window' }));
      await h.gateway.health.probeAll();
      expect(await codexSettings()).toContainEqual({ label: 'model_context_window', value: '131072' });
      const made = await h.admin('/admin/api/connect/codex', { method: 'POST', body: '{}' }).then((r) => r.json());
      expect(parseToml(readFileSync(made.file, 'utf8'))).toMatchObject({ model: 'coder', model_context_window: 131_072 });
      // Without a limit opencode plans for no window, and 1.4.3 asked for answers of at most 0 tokens.
      const opencode = await h.admin('/admin/api/connect/opencode', { method: 'POST', body: '{}' }).then((r) => r.json());
      expect(JSON.parse(readFileSync(opencode.file, 'utf8')).provider.switchyard.models).toEqual({
        coder: { name: 'coder', limit: { context: 131_072, output: 32_000 } },
        qwen: { name: 'qwen', limit: { context: 131_072, output: 32_000 } },
      });
    } finally {
      await h.stop();
      await ollama.stop();
    }
  });
});
