/**
 * The built CLI's `usage show ID`: one request whole, read from the data dir a gateway logged it in
 * (real routing, a real fallback): its line, how it was routed, and its kept prompt and answer,
 * made printable; as JSON; and clear refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from './support/fake-server';
import { startFakeOllama } from './support/fake-ollama';
import { startFakeOpenAI } from './support/fake-openai';
import { startGateway, tempDir } from './support/harness';
import { run, useCliCleanups } from './support/cli';

useCliCleanups();

let ollama: FakeServer;
let openai: FakeServer;
const data = tempDir('switchyard-cli-show-');
const ids: Record<'fellBack' | 'unkept', string> = { fellBack: '', unkept: '' };

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  const config = (logBodies: boolean) => ({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
    ],
    deployments: [
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    ],
    routes: [{ name: 'default', deployments: ['llama', 'mini'] }],
    settings: { usage: { logBodies } },
  });
  const h = await startGateway(config(true), { dataDir: data.path });
  try {
    await ollama.setMode({ kind: 'status', status: 500 });
    const ask = (content: string) => h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content }] }).withResponse();
    ids.fellBack = (await ask('hello\u001b[2J there')).response.headers.get('x-request-id')!;
    h.gateway.applyConfig(config(false), 'test');
    ids.unkept = (await ask('not kept')).response.headers.get('x-request-id')!;
  } finally {
    await ollama.setMode({ kind: 'healthy' });
    await h.stop();
  }
}, 30_000);
afterAll(async () => {
  await Promise.all([ollama.stop(), openai.stop()]);
  data.remove();
});

describe('switchyard usage show', () => {
  it('prints the request, how it was routed, and its kept prompt and answer, made printable', () => {
    const shown = run(['usage', 'show', ids.fellBack, '--data-dir', data.path]);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    const lines = shown.stdout.split('\n');
    expect(lines[0]).toMatch(/ {2}200 {2}openai {2}anonymous {2}default > mini \(after llama: upstream_5xx\)/);
    expect(lines[1]).toBe(`id ${ids.fellBack}`);
    const routing = lines.slice(lines.indexOf('Routed by default (strategy ordered):'), lines.indexOf('Routed by default (strategy ordered):') + 3);
    expect(routing[1]).toMatch(/^ {2}llama {2}failed +upstream_5xx 500 \d+ ms/);
    expect(routing[2]).toMatch(/^ {2}mini {3}ok +\d+ ms$/);
    // The request as the client sent it, laid out; an escape sequence in it reaches the terminal as a space.
    expect(shown.stdout).toMatch(/Request \(\d+ characters\):\n\{\n {2}"model": "default",/);
    expect(shown.stdout).toContain('"content": "hello\\u001b[2J there"');
    expect(shown.stdout).toContain('Answer (');
    expect(shown.stdout).toContain('Echo: hello [2J there');
    expect(shown.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('writes the row, its decision and bodies as one JSON object, and says where nothing was kept', () => {
    const json = JSON.parse(run(['usage', 'show', ids.fellBack, '--format', 'json', '--data-dir', data.path]).stdout) as { id: string; decision: { steps: { deployment: string; outcome: string }[] }; request: string; answer: string };
    expect(json.id).toBe(ids.fellBack);
    expect(json.decision.steps.map((s) => [s.deployment, s.outcome])).toEqual([['llama', 'failed'], ['mini', 'ok']]);
    expect(JSON.parse(json.request).messages[0].content).toBe('hello\u001b[2J there');
    expect(json.answer).toBe('Echo: hello\u001b[2J there');
    expect(run(['usage', 'show', ids.unkept, '--data-dir', data.path]).stdout).toContain('Prompt and answer: not kept (they are while settings.usage.logBodies is on).');
  });

  it('refuses what it cannot do, naming it', () => {
    expect(run(['usage', 'show', '--data-dir', data.path])).toMatchObject({ code: 2, stderr: expect.stringContaining('Name the request: switchyard usage show REQUEST_ID') });
    expect(run(['usage', 'show', 'req_nope', '--data-dir', data.path])).toMatchObject({ code: 1, stderr: expect.stringContaining('No request with id "req_nope" is in the usage log') });
    expect(run(['usage', 'show', ids.fellBack, 'extra', '--data-dir', data.path])).toMatchObject({ code: 2, stderr: expect.stringContaining('not also "extra"') });
    expect(run(['usage', 'show', ids.fellBack, '--format', 'csv', '--data-dir', data.path])).toMatchObject({ code: 2, stderr: expect.stringContaining('use text or json') });
    expect(run(['usage', 'show', ids.fellBack, '--lines', '3', '--data-dir', data.path])).toMatchObject({ code: 2, stderr: expect.stringContaining('does not read --lines') });
    // `usage export` still takes no second word.
    expect(run(['usage', 'export', 'more', '--data-dir', data.path])).toMatchObject({ code: 2, stderr: expect.stringContaining('not also "more"') });
  });
});
