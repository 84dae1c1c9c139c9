/**
 * Usage by the tool that sent it: the rows, the charts' rollups, the sessions and the export are
 * each of one tool when asked (`tool=Codex`), the rollups group by tool, the filters' names list
 * the tools the log has rows of in the range, and the Overview adds up today per tool.
 */
import { describe, expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ clock: Date.UTC(2026, 11, 3, 9) });

const CLAUDE_CODE = { 'user-agent': 'claude-cli/2.1.3 (external, cli)', 'x-claude-code-session-id': 'claude-1' };
const CODEX = { 'user-agent': 'codex_cli_rs/0.98.0 (Mac OS 15.1.0; arm64) vscode/1.95.0', originator: 'codex_cli_rs' };

describe('usage by tool', () => {
  it("filters rows, rollups, sessions and the export by one tool, and groups the rollups by tool", async () => {
    const since = t.clock;
    for (let i = 0; i < 3; i++) await t.chat({ model: 'default' }, CLAUDE_CODE);
    await t.chat({ model: 'mini' }, CODEX);
    await t.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
    const get = async (path: string) => {
      const res = await t.h.admin(path);
      expect(res.status, path).toBe(200);
      return res.json();
    };

    const rows = (await get(`/admin/api/usage?since=${since}&tool=${encodeURIComponent('Claude Code')}`)).rows;
    expect(rows.map((r: { tool: string; session: string }) => `${r.tool} ${r.session}`)).toEqual(Array(3).fill('Claude Code claude-1'));
    expect((await get(`/admin/api/usage?since=${since}&tool=Codex`)).rows.map((r: { deployment: string }) => r.deployment)).toEqual(['mini']);

    const byTool = (await get(`/admin/api/usage/rollups?since=${since}&granularity=hour&groupBy=tool`)).points;
    const requests = Object.fromEntries(byTool.map((p: { group: string; requests: number }) => [p.group, p.requests]));
    expect(requests).toEqual({ 'Claude Code': 3, Codex: 1, 'OpenAI SDK (JS)': 1 });
    const codexCost = byTool.find((p: { group: string }) => p.group === 'Codex').cost;
    expect(codexCost).toBeGreaterThan(0);
    const ofCodex = (await get(`/admin/api/usage/rollups?since=${since}&granularity=hour&groupBy=provider&tool=Codex`)).points;
    expect(ofCodex).toEqual([expect.objectContaining({ group: 'cloud', requests: 1, cost: codexCost })]);

    expect((await get(`/admin/api/usage/sessions?since=${since}&tool=Codex`)).sessions).toEqual([]);
    expect((await get(`/admin/api/usage/sessions?since=${since}&tool=${encodeURIComponent('Claude Code')}`)).sessions).toEqual([expect.objectContaining({ session: 'claude-1', tool: 'Claude Code', requests: 3 })]);

    const csv = (await (await t.h.admin(`/admin/api/usage/export?since=${since}&tool=Codex&format=csv`)).text()).trim().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]!.endsWith(',Codex')).toBe(true);

    expect((await get(`/admin/api/usage/names?since=${since}`)).tools).toEqual(['Claude Code', 'Codex', 'OpenAI SDK (JS)']);
    // The Overview's today, per tool: the most requests first.
    const overview = await get('/admin/api/overview');
    expect(overview.todayByTool).toEqual([
      { tool: 'Claude Code', requests: 3, cost: expect.any(Number) },
      { tool: 'Codex', requests: 1, cost: codexCost },
      { tool: 'OpenAI SDK (JS)', requests: 1, cost: expect.any(Number) },
    ]);
    expect(overview.requests).toBe(5);

    for (const tool of ['', 'x'.repeat(49)]) {
      const res = await t.h.admin(`/admin/api/usage?tool=${tool}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.param).toBe('tool');
    }
  });
});
