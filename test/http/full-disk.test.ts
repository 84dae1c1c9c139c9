/**
 * A full disk (played by capping the database's size): requests are still answered, nothing the
 * gateway writes on the side (usage rows, health samples, breaker transitions, cached answers, kept
 * Responses answers) ends the process, /health says what fails, and it clears once writes go
 * through again. Found with a gateway on a 700 KiB tmpfs: its health probe's sample was an
 * unhandled rejection that ended it.
 */
import { describe, expect, it } from 'vitest';
import { parseMetrics } from '../support/prometheus-text';
import { fillDisk } from '../support/full-disk';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ config: (t) => t.configWith({ usage: { logBodies: true } }) });

const health = () => fetch(`${t.h.url}/health`).then((r) => r.json() as Promise<{ status: string; store: string; storeError: string | null }>);
const ask = (content: string, model = 'default') => t.h.openai.chat.completions.create({ model, temperature: 0, messages: [{ role: 'user', content }] });

describe('a full disk', () => {
  it('answers every request, records what it can, and says what fails until writes go through again', async () => {
    const { h, ollama } = t;
    const db = h.gateway.db;
    const room = fillDisk(db);
    // Whole and streamed answers, each logged with its body and kept in the cache: the file must grow, and cannot.
    for (let i = 0; i < 30; i++) expect((await ask(`${'a long prompt '.repeat(200)}${i}`)).choices[0]?.message.content).toContain('Echo:');
    const stream = await h.openai.chat.completions.create({ model: 'default', temperature: 0, stream: true, messages: [{ role: 'user', content: 'streamed' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Echo: streamed');
    // A Responses answer that cannot be kept is still the answer, whole or streamed.
    const long = `${'a long question '.repeat(400)}?`;
    expect((await h.openai.responses.create({ model: 'default', input: long })).output_text).toContain('Echo:');
    expect((await h.openai.responses.stream({ model: 'default', input: long }).finalResponse()).output_text).toContain('Echo:');
    // A health probe's sample and a breaker opening are written on the side too: neither may throw.
    await h.gateway.health.probeAll();
    await ollama.setMode({ kind: 'status', status: 500 });
    for (let i = 0; i < 6; i++) expect((await ask(`fails over ${i}`)).choices[0]?.message.content).toContain('Echo:');
    expect((await health() as unknown as { deployments: { name: string; breaker: { state: string } }[] }).deployments.find((d) => d.name === 'llama')?.breaker.state).toBe('open');

    const full = await health();
    expect(full).toMatchObject({ status: 'error', store: 'error' });
    // Each kind that failed (which ones depends on which tables had room left in their pages), with its count and first error.
    expect(full.storeError).toMatch(/^(a [a-z ]+: \d+ failed since \S+ \(database or disk is full\)(; |$))+$/);
    // /metrics counts every request, rows written or not (30 asked, a stream, two Responses, six that failed over), and says the store fails.
    const metrics = parseMetrics(await (await fetch(`${h.url}/metrics`)).text());
    expect(metrics.series('switchyard_requests_total').reduce((sum, s) => sum + s.value, 0)).toBe(39);
    expect(metrics.value('switchyard_store_ok')).toBe(0);

    // Room again: each kind that failed goes through again, and the store is fine.
    await ollama.setMode({ kind: 'healthy' });
    room();
    await ask('room again');
    await h.openai.responses.create({ model: 'default', input: 'kept again' });
    await h.gateway.health.probeAll();
    h.gateway.breakers.reset('llama');
    expect(await health()).toMatchObject({ store: 'ok', storeError: null });
  });

  it('refuses a dashboard change the store cannot keep, says why, and changes nothing', async () => {
    const db = t.h.gateway.db;
    db.pragma('query_only = ON');
    try {
      const res = await t.h.admin('/admin/api/settings', { method: 'PATCH', body: JSON.stringify({ settings: { localOnly: true } }) });
      expect(res.status).toBe(500);
      expect((await res.json()).error.message).toBe("Switchyard's store could not be written (attempt to write a readonly database): nothing was changed");
      expect(t.h.gateway.localOnly()).toBe(false);
    } finally {
      db.pragma('query_only = OFF');
    }
  });
});
