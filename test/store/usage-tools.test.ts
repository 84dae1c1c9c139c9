/**
 * The tool that sent each request (Claude Code, Codex) is a filter and a grouping like a route or a
 * key: on the rows, and on the minute, hour and day rollups behind the charts and summaries.
 */
import { describe, expect, it } from 'vitest';
import { useUsageLog, usageRow } from '../support/usage-log';

const { log } = useUsageLog();

const T0 = Date.parse('2026-11-20T00:00:00Z');
const TOOLS = ['Claude Code', 'Codex', null, 'Codex'] as const;
// 40 requests over 40 hours; every fourth has no tool named, Codex sent half of them.
for (let i = 0; i < 40; i++) {
  const tool = TOOLS[i % 4] ?? null;
  log.record(usageRow({ id: `req_${i}`, at: T0 + i * 3_600_000, tool, cost: tool === 'Codex' ? 0.01 : 0.001, route: i < 20 ? 'coder' : 'chat' }));
}

describe('usage by tool', () => {
  it("pages one tool's rows, newest first, and only those", () => {
    const page = log.list({ tool: 'Codex' }, { limit: 50 });
    expect(page.rows).toHaveLength(20);
    expect(page.rows.every((r) => r.tool === 'Codex')).toBe(true);
    expect(page.rows[0]?.id).toBe('req_39');
    expect([...log.iterate({ tool: 'Claude Code', route: 'chat' })].map((r) => r.id)).toEqual(['req_20', 'req_24', 'req_28', 'req_32', 'req_36']);
    expect(log.list({ tool: 'codex' }, { limit: 50 }).rows).toEqual([]);
  });

  for (const granularity of ['minute', 'hour', 'day'] as const) {
    it(`adds up each tool's requests and cost in the ${granularity} rollups, the unnamed under ''`, () => {
      const byTool = new Map<string | null, { requests: number; cost: number }>();
      for (const p of log.rollups({}, granularity, 'tool')) {
        const sum = byTool.get(p.group) ?? { requests: 0, cost: 0 };
        byTool.set(p.group, { requests: sum.requests + p.requests, cost: sum.cost + p.cost });
      }
      expect(byTool.get('Codex')?.requests).toBe(20);
      expect(byTool.get('Codex')?.cost).toBeCloseTo(0.2, 10);
      expect(byTool.get('Claude Code')).toEqual({ requests: 10, cost: expect.closeTo(0.01, 10) });
      expect(byTool.get('')?.requests).toBe(10);
      const ofCodex = log.rollups({ tool: 'Codex', route: 'coder' }, granularity, 'none');
      expect(ofCodex.reduce((n, p) => n + p.requests, 0)).toBe(10);
    });
  }

  it("sums a tool's cost with its subagents' (a tool's budget), where a filter of rows keeps to the one name", () => {
    const at = T0 + 50 * 3_600_000;
    log.record(usageRow({ id: 'req_review', at, tool: 'Codex (review)', cost: 1 }));
    log.record(usageRow({ id: 'req_lookalike', at, tool: 'Codexy', cost: 10 }));
    log.record(usageRow({ id: 'req_spaced', at, tool: 'Codex !', cost: 100 }));
    expect(log.costSince(at, { tool: 'Codex' })).toBe(1);
    expect(log.costSince(T0, { tool: 'Codex' })).toBeCloseTo(1.2, 10);
    expect(log.list({ tool: 'Codex', since: at }, { limit: 10 }).rows).toEqual([]);
    expect(log.list({ tool: 'Codex (review)' }, { limit: 10 }).rows.map((r) => r.id)).toEqual(['req_review']);
  });

  it('names the tools the log has rows of in a range, the unnamed not among them', () => {
    expect(log.names(T0 + 49 * 3_600_000).tools).toEqual(['Codex !', 'Codex (review)', 'Codexy']);
    expect(log.names(undefined).tools).toEqual(['Claude Code', 'Codex', 'Codex !', 'Codex (review)', 'Codexy']);
    // The last Claude Code request is the 36th hour's; Codex's the 39th's.
    expect(log.names(T0 + 37 * 3_600_000).tools).toEqual(['Codex', 'Codex !', 'Codex (review)', 'Codexy']);
  });
});
