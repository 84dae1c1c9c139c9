/**
 * Which tool sent each request, as its headers name it: the usage rows and their export carry it,
 * a session says the tool it was last sent from, and the Overview lists the tools seen lately.
 * Sent by the real SDKs (whose own User-Agents name them), with Claude Code's and Codex's headers,
 * an app name given as OpenRouter's X-Title, and curl's; a header a client fills with anything is
 * cut and kept printable.
 */
import Anthropic from '@anthropic-ai/sdk';
import { request } from 'node:http';
import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import { toolGuides } from '../../gateway/connect/guides';
import { TOOL } from '../../gateway/config/tool-names';
import { toolOf } from '../../gateway/http/client-tool';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ clock: Date.UTC(2026, 11, 4, 9) });

type Row = { tool: string | null; api: string };
const newest = async (n: number): Promise<Row[]> => (await (await t.h.admin(`/admin/api/usage?limit=${n}`)).json()).rows;

describe('the tool that sent a request', () => {
  it('is kept with its usage row, in its export, with its session, and on the Overview', async () => {
    // Claude Code: its User-Agent and session header (set as Claude Code sends them).
    const claude = new Anthropic({ baseURL: t.h.url, apiKey: 'k', maxRetries: 0, defaultHeaders: { 'user-agent': 'claude-cli/2.1.3 (external, cli)', 'x-claude-code-session-id': 'cc-1' } });
    await claude.messages.create({ model: 'default', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    // Codex: its originator header, whatever its User-Agent says.
    t.clock += 1_000;
    await t.chat({ model: 'default' }, { originator: 'codex_cli_rs', 'user-agent': 'codex_cli_rs/0.98.0 (Mac OS 15.6.1; arm64) iTerm.app/3.6.1' });
    // The SDKs as they are: each names itself.
    t.clock += 1_000;
    await t.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
    t.clock += 1_000;
    await new Ollama({ host: t.h.url }).chat({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
    // Cline sends OpenAI's SDK's User-Agent, and its own name as X-Title.
    t.clock += 1_000;
    await t.chat({ model: 'default' }, { 'x-title': 'Cline', 'user-agent': 'OpenAI/JS 4.96.0' });
    t.clock += 1_000;
    await t.chat({ model: 'default' }, { 'user-agent': 'curl/8.5.0' });

    expect((await newest(6)).map((r) => r.tool)).toEqual(['curl', 'Cline', 'Ollama SDK (JS)', 'OpenAI SDK (JS)', 'Codex', 'Claude Code']);
    const { sessions } = await (await t.h.admin('/admin/api/usage/sessions?session=cc-1')).json();
    expect(sessions).toEqual([expect.objectContaining({ session: 'cc-1', tool: 'Claude Code' })]);
    const csv = (await (await t.h.admin('/admin/api/usage/export?format=csv')).text()).trim().split('\n');
    expect(csv[0]!.split(',').at(-1)).toBe('tool');
    expect(csv.at(-1)!.endsWith(',curl')).toBe(true);
    const overview = await (await t.h.admin('/admin/api/overview')).json();
    expect(overview.tools.map((x: { tool: string }) => x.tool)).toEqual(['curl', 'Cline', 'Ollama SDK (JS)', 'OpenAI SDK (JS)', 'Codex', 'Claude Code']);
    expect(overview.tools[0]).toEqual({ tool: 'curl', requests: 1, lastAt: t.clock });
  });

  it('is left out when no header names one, and cut and kept printable when one is odd', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
      const req = request(`${t.h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => (res.resume(), res.on('end', () => resolve(res.statusCode ?? 0))));
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(200);
    await t.chat({ model: 'default' }, { 'x-title': `${'My\tscript'}${'x'.repeat(500)}` });
    expect((await newest(2)).map((r) => r.tool)).toEqual([`Myscript${'x'.repeat(40)}`, null]);
  });
});

describe('toolOf', () => {
  it.each([
    [{ 'user-agent': 'claude-cli/2.1.220 (external, cli)' }, 'Claude Code'],
    [{ 'user-agent': 'claude-cli/2.1.3 (external, sdk-ts)' }, 'Claude Agent SDK'],
    [{ 'user-agent': 'codex_exec/0.98.0 (Ubuntu 24.04; x86_64)' }, 'Codex'],
    [{ originator: 'codex_vscode', 'user-agent': 'node' }, 'Codex'],
    [{ originator: 'codex_cli_rs', 'x-openai-subagent': 'review' }, 'Codex (review)'],
    [{ 'user-agent': 'claude-cli/2.1.3 (external, cli)', 'x-openai-subagent': 'review' }, 'Claude Code'],
    [{ 'x-opencode-session': 'ses_1', 'user-agent': 'ai-sdk/openai-compatible/1.0.2' }, 'opencode'],
    [{ 'user-agent': 'ai-sdk/openai-compatible/1.0.2' }, 'AI SDK'],
    // The AI SDK's generateText and streamText put their own name first, then the provider's utilities (captured from ai 6.0.333).
    [{ 'user-agent': 'ai/6.0.333 ai-sdk/provider-utils/4.0.66 runtime/node.js/v20.20.2' }, 'AI SDK'],
    [{ 'user-agent': 'aider/0.86.1' }, 'aider'],
    [{ 'user-agent': 'langchainjs-openai/1.0.0 ((node/v20.20.2; linux; x64))' }, 'LangChain (JS)'],
    [{ 'user-agent': 'OpenAI/Python 1.99.1' }, 'OpenAI SDK (Python)'],
    [{ 'user-agent': 'Anthropic/Python 0.69.0' }, 'Anthropic SDK (Python)'],
    [{ 'user-agent': 'ollama-python/0.6.0 (x86_64 linux) Python/3.12.3' }, 'Ollama SDK (Python)'],
    [{ 'user-agent': 'litellm/1.77.0' }, 'LiteLLM'],
    [{ 'x-title': 'Roo Code', 'user-agent': 'OpenAI/JS 5.12.2' }, 'Roo Code'],
    [{ 'user-agent': 'GitHubCopilotChat/0.35.0' }, 'VS Code (GitHub Copilot)'],
    [{ 'user-agent': 'RooCode/3.53.0' }, 'Roo Code'],
    [{ 'x-title': 'Cline', 'user-agent': 'Cline/3.0.47' }, 'Cline'],
    // GitHub Copilot CLI 1.0 with its own provider (BYOK): the SDKs' User-Agents, and Copilot's x-initiator on every request (user, then agent for tool turns).
    [{ 'user-agent': 'OpenAI/JS 5.20.1', 'x-initiator': 'user', 'x-interaction-type': 'conversation-user' }, 'GitHub Copilot CLI'],
    [{ 'user-agent': 'Anthropic/JS 0.94.0', 'x-initiator': 'agent' }, 'GitHub Copilot CLI'],
    [{ 'user-agent': 'GitHubCopilotChat/0.35.0', 'x-initiator': 'agent' }, 'VS Code (GitHub Copilot)'],
    [{ 'user-agent': 'Agents/JavaScript 0.20.0' }, 'OpenAI Agents SDK'],
    [{ 'user-agent': 'Agents/Python 0.6.1' }, 'OpenAI Agents SDK'],
    [{ 'x-title': 'pi', 'user-agent': 'OpenAI/JS 6.26.0' }, 'pi'],
    [{ 'user-agent': 'python-requests/2.32.3' }, 'python-requests'],
    [{ 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36' }, 'a browser'],
    [{ 'user-agent': '\u00e9\u00e9' }, null],
    [{}, null],
  ])('%j is %s', (headers, tool) => {
    expect(toolOf(headers)).toBe(tool);
  });

  it('reads each request afresh: an X-Title beside a User-Agent seen before, a User-Agent after hundreds of others', () => {
    const sdk = { 'user-agent': 'OpenAI/JS 5.12.2' };
    expect(toolOf(sdk)).toBe('OpenAI SDK (JS)');
    expect(toolOf({ ...sdk, 'x-title': 'Kilo Code' })).toBe('Kilo Code');
    expect(toolOf({ ...sdk, originator: 'codex_cli_rs' })).toBe('Codex');
    for (let i = 0; i < 600; i++) expect(toolOf({ 'user-agent': `script-${i}/1.0` })).toBe(`script-${i}`);
    expect(toolOf(sdk)).toBe('OpenAI SDK (JS)');
    expect(toolOf({ 'user-agent': 'claude-cli/2.1.3 (external, cli)' })).toBe('Claude Code');
  });
});

it("names on the Connect page's guides only tools the log can name", () => {
  const guides = toolGuides({ url: 'http://127.0.0.1:7788', key: 'k', keyRequired: false, model: 'default', models: ['default'] });
  const named = guides.flatMap((g) => g.seenAs ?? []);
  expect(named.length).toBeGreaterThan(5);
  expect(named.filter((name) => !(Object.values(TOOL) as string[]).includes(name))).toEqual([]);
  expect(guides.find((g) => g.id === 'claude-code')?.seenAs).toEqual([toolOf({ 'user-agent': 'claude-cli/2.1.3 (external, cli)' })]);
});
