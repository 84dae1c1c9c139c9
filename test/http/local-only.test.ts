/**
 * Local only: a setting in the config (so it outlasts a restart and shows in the config history),
 * switched by the dashboard, the admin API or the desktop tray, and said by the health report.
 */
import { describe, expect, it } from 'vitest';
import { startGateway } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const localOnly = (on: boolean) => t.h.admin('/admin/api/settings', { method: 'PUT', body: JSON.stringify({ settings: { ...t.h.gateway.config().settings, localOnly: on } }) });
const health = () => t.h.admin('/admin/api/health').then((r) => r.json() as Promise<{ localOnly: boolean; deployments: { name: string; skippedLocalOnly: boolean }[] }>);

describe('local only', () => {
  it('skips every cloud deployment while on, and the health report says which', async () => {
    expect((await localOnly(true)).status).toBe(200);
    const report = await health();
    expect(report.localOnly).toBe(true);
    expect(Object.fromEntries(report.deployments.map((d) => [d.name, d.skippedLocalOnly]))).toEqual({ llama: false, mini: true, 'local-embed': false, 'cloud-embed': true });

    const { res, text } = await t.chat({ model: 'cloud-first' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-deployment')).toBe('llama');
    expect(res.headers.get('x-switchyard-route')).toContain('mini');
    const refused = await t.chat({ model: 'mini' });
    expect(refused.res.status).toBe(503);
    expect(JSON.parse(refused.text).error.message).toContain('local only');
    expect(t.openai.requests).toHaveLength(0);
    expect(JSON.parse(text).choices[0].message.content).toBe('Echo: hello there');

    expect((await localOnly(false)).status).toBe(200);
    expect((await health()).localOnly).toBe(false);
    expect((await t.chat({ model: 'mini' })).res.status).toBe(200);
  });

  it('leaves what it skips out of every model list: cloud deployments, routes with nothing local, aliases of those', async () => {
    const base = t.configWith();
    t.h.gateway.applyConfig({ ...base, routes: [...base.routes, { name: 'cloud-only', deployments: ['mini'] }], aliases: { home: 'default', fast: 'cloud-only' } }, 'test');
    const lists = async () => ({
      openai: (await t.h.openai.models.list()).data.map((m) => m.id).sort(),
      anthropic: ((await fetch(`${t.h.baseUrl}/models?limit=100`, { headers: { 'anthropic-version': '2023-06-01' } }).then((r) => r.json())) as { data: { id: string }[] }).data.map((m) => m.id).sort(),
      ollama: (await t.h.ollama.list()).models.map((m) => m.name).sort(),
    });
    const everything = ['cloud-embed', 'cloud-first', 'cloud-only', 'default', 'embed', 'fast', 'home', 'llama', 'local-embed', 'mini'];
    expect((await lists()).openai).toEqual(everything);
    t.h.gateway.setLocalOnly(true);
    const reachable = ['cloud-first', 'default', 'embed', 'home', 'llama', 'local-embed'];
    // Anthropic's list names chat models only (not the embed route either).
    expect(await lists()).toEqual({ openai: reachable, anthropic: reachable.filter((m) => m !== 'local-embed' && m !== 'embed'), ollama: reachable });
  });

  it('outlasts a restart, and each switch is a config revision', async () => {
    t.h.gateway.setLocalOnly(true);
    t.h.gateway.setLocalOnly(true); // already on: no new revision
    const again = await startGateway(undefined, { dataDir: t.h.dataDir });
    try {
      expect(again.gateway.localOnly()).toBe(true);
      again.gateway.setLocalOnly(false);
      expect(again.gateway.config().settings?.localOnly).toBe(false);
      const revisions = (await again.admin('/admin/api/config/revisions').then((r) => r.json())).revisions as { source: string }[];
      expect(revisions.slice(0, 2).map((r) => r.source)).toEqual(['local only off', 'local only on']);
    } finally {
      await again.stop();
    }
  });
});
