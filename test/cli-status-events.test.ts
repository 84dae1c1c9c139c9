/**
 * `switchyard status` lists the last day's breaker events from the data dir: a local model that
 * failed, its breaker opening (and why), as a headless server's operator would want to read it.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startFakeOllama } from './support/fake-ollama';
import { dir, inNewYork, newYork, onCleanup, run, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

/** A gateway whose one deployment's breaker opens after `failures` failed requests, and a request that fails. */
async function breakerGateway(breaker: { failures: number; cooldownMs: number }) {
  const ollama = await startFakeOllama();
  onCleanup(() => ollama.stop());
  const data = dir();
  const config = {
    version: 1,
    providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url }],
    deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', breaker }],
    routes: [{ name: 'default', deployments: ['llama'] }],
  };
  const { baseUrl } = await serve(['--port', '0', '--data-dir', data, '--config', writeJson(join(data, 'c.json'), config)]);
  const fail = async () => {
    await ollama.setMode({ kind: 'status', status: 500 });
    const res = await fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(res.status).toBeGreaterThanOrEqual(500);
  };
  return { data, fail };
}

it('lists the breaker events of the last 24 hours, newest first, as text and JSON', async () => {
  const { data, fail } = await breakerGateway({ failures: 2, cooldownMs: 600_000 });
  expect(run(['status', '--data-dir', data], inNewYork).stdout).toContain('Breaker events: none in the last 24 h\n');
  for (let i = 0; i < 2; i++) await fail();
  const lines = run(['status', '--data-dir', data], inNewYork).stdout.split('\n');
  const at = lines.indexOf('Breaker events (last 24 h, newest first):');
  expect(at).toBeGreaterThan(0);
  const json = JSON.parse(run(['status', '--format', 'json', '--data-dir', data]).stdout);
  expect(json.breakerEvents).toEqual([{ deployment: 'llama', from: 'closed', to: 'open', at: expect.any(Number), reason: '2 consecutive failures' }]);
  // As this machine's clock reads it, as `usage tail` prints its rows: JSON keeps the instant.
  expect(lines[at + 1]).toBe(`  ${newYork(json.breakerEvents[0].at)}  llama  closed -> open  2 consecutive failures`);
});

it("says an open breaker's cool-down is over, not that it is open until a time gone by", async () => {
  const { data, fail } = await breakerGateway({ failures: 1, cooldownMs: 5_000 });
  await fail();
  const line = () => run(['status', '--data-dir', data], inNewYork).stdout.split('\n').find((l) => l.startsWith('  llama '));
  const json = JSON.parse(run(['status', '--format', 'json', '--data-dir', data]).stdout);
  expect(line()).toMatch(new RegExp(` breaker open until ${newYork(Date.parse(json.deployments[0].breaker.openUntil))}$`));
  await expect.poll(line, { timeout: 12_000, interval: 500 }).toMatch(/ breaker open, cooled down: its next request tries it$/);
});
