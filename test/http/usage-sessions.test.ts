/**
 * What each session cost: rows carry the session their tool named (Claude Code's header, Codex's
 * prompt cache key, x-switchyard-session), `GET /admin/api/usage/sessions` adds each up over a
 * range, the rows and the export filter by one, and a request outside any session is in none.
 */
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ clock: Date.UTC(2026, 11, 2, 9) });

describe('sessions in the usage log', () => {
  it('adds up each session, filters rows and the export by one, and keeps sessions of different keys apart', async () => {
    const since = t.clock;
    const claude = new Anthropic({ baseURL: t.h.url, apiKey: 'k', maxRetries: 0, defaultHeaders: { 'x-claude-code-session-id': 'claude-1' } });
    for (let i = 0; i < 2; i++) await claude.messages.create({ model: 'default', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    await t.ollama.setMode({ kind: 'status', status: 503 });
    await claude.messages.create({ model: 'default', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    await t.ollama.reset();
    t.clock += 60_000;
    await t.h.openai.responses.create({ model: 'default', input: 'hi', store: false, prompt_cache_key: 'codex-1' });
    const ci = t.h.gateway.keys.create('ci', {}).key;
    await t.chat({ model: 'default' }, { 'x-switchyard-session': 'claude-1', authorization: `Bearer ${ci}` });
    await t.chat({ model: 'default' });

    const { sessions } = await (await t.h.admin(`/admin/api/usage/sessions?since=${since}`)).json();
    expect(sessions).toHaveLength(3);
    expect(sessions.map((s: { session: string; clientKey: string }) => `${s.session}/${s.clientKey}`)).toEqual(['claude-1/ci', 'codex-1/anonymous', 'claude-1/anonymous']);
    const claudeSession = sessions[2];
    expect(claudeSession).toMatchObject({ requests: 3, errors: 0, fallbacks: 1, deployments: ['llama', 'mini'], firstAt: since, lastAt: since });
    expect(claudeSession.cost).toBeGreaterThan(0);
    expect(claudeSession.inputTokens).toBeGreaterThan(0);

    const rows = (await (await t.h.admin(`/admin/api/usage?since=${since}&session=claude-1&clientKey=anonymous`)).json()).rows;
    expect(rows).toHaveLength(3);
    expect(rows.every((r: { session: string; api: string }) => r.session === 'claude-1' && r.api === 'anthropic')).toBe(true);
    const csv = await (await t.h.admin(`/admin/api/usage/export?since=${since}&session=codex-1&format=csv`)).text();
    const [header, ...lines] = csv.trim().split('\n');
    expect(header!.split(',').slice(-2)).toEqual(['session', 'tool']);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith(',codex-1,OpenAI SDK (JS)')).toBe(true);
    const all = (await (await t.h.admin(`/admin/api/usage?since=${since}`)).json()).rows;
    expect(all.filter((r: { session: string | null }) => r.session === null)).toHaveLength(1);

    const one = await (await t.h.admin(`/admin/api/usage/sessions?since=${since}&clientKey=ci`)).json();
    expect(one.sessions).toEqual([expect.objectContaining({ session: 'claude-1', clientKey: 'ci', requests: 1 })]);
    const tooLong = await t.h.admin(`/admin/api/usage/sessions?session=${'x'.repeat(201)}`);
    expect(tooLong.status).toBe(400);

    // opencode's header and the common one name theirs too.
    await t.chat({ model: 'default' }, { 'x-opencode-session': 'opencode-1' });
    await t.chat({ model: 'default' }, { 'x-session-id': 'other-1' });
    // Codex's subagents send their root session's id as session-id beside their own thread's cache key: one session.
    await t.h.openai.responses.create({ model: 'default', input: 'review this', store: false, prompt_cache_key: 'child-thread' }, { headers: { 'session-id': 'codex-root', 'x-openai-subagent': 'review' } });
    const named = (await (await t.h.admin(`/admin/api/usage?since=${since}&limit=3`)).json()).rows.map((r: { session: string; tool: string }) => `${r.session} ${r.tool}`);
    expect(named).toEqual(['codex-root OpenAI SDK (JS)', 'other-1 node', 'opencode-1 opencode']);
  });
});
