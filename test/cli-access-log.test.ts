/**
 * `SWITCHYARD_LOG_LEVEL=info` gives a server's journal a line per answered request (JSON, as the rest
 * of the log): method, path without its query, status, time and the deployment that answered. At the
 * default level, none.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startFakeOpenAI } from './support/fake-openai';
import { cloudOnly, dir, onCleanup, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

async function started(env: Record<string, string>) {
  const openai = await startFakeOpenAI();
  onCleanup(() => openai.stop());
  const data = dir();
  const gateway = await serve(['--port', '0', '--data-dir', data, '--config', writeJson(join(data, 'c.json'), cloudOnly(openai.url))], { OPENAI_API_KEY: 'sk-test', ...env });
  const origin = new URL(gateway.baseUrl).origin;
  const chat = await fetch(`${gateway.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) });
  expect(chat.status).toBe(200);
  expect((await fetch(`${origin}/?token=not-a-real-one`, { headers: { accept: 'text/html' }, redirect: 'manual' })).status).toBe(303);
  expect((await fetch(`${gateway.baseUrl}/nothing`)).status).toBe(404);
  return { gateway, requestId: chat.headers.get('x-request-id') };
}

const logged = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === 'request');

it('logs a line per answered request at info, without queries', async () => {
  const { gateway, requestId } = await started({ SWITCHYARD_LOG_LEVEL: 'info' });
  await expect.poll(() => logged(gateway.output()).length).toBeGreaterThanOrEqual(3);
  const lines = logged(gateway.output());
  expect(lines.find((l) => l.path === '/v1/chat/completions')).toMatchObject({ level: 30, reqId: requestId, method: 'POST', status: 200, ms: expect.any(Number), deployment: 'mini' });
  expect(lines.find((l) => l.path === '/')).toMatchObject({ method: 'GET', status: 303 });
  expect(lines.find((l) => l.path === '/v1/nothing')).toMatchObject({ method: 'GET', status: 404 });
  expect(lines.find((l) => l.path === '/v1/nothing')).not.toHaveProperty('deployment');
  // A login link's token is in its query: it never reaches the log.
  expect(gateway.output()).not.toContain('not-a-real-one');
});

it('logs no request at the default level', async () => {
  const { gateway } = await started({});
  // The requests above were answered; the output has had the time to show a line for them.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(logged(gateway.output())).toEqual([]);
});
