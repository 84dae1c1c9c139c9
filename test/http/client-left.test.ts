/**
 * A client that leaves before its answer: its usage row says what the gateway was doing for it. A
 * deployment asked and waited on is an attempt, cut by the client (Claude Code's Esc while a model
 * thinks before its first token); a request still being read, or queued, tried none.
 */
import { connect } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const rows = () => t.h.gateway.usage.list({}, { limit: 100 }).rows;
let before = 0;
beforeEach(() => {
  before = rows().length;
});
/** The row the test's request wrote, newest first (each test's rows come after the last one's). */
async function newRow(timeout = 5_000) {
  await expect.poll(() => rows().length, { timeout }).toBe(before + 1);
  return rows()[0];
}

/** Sends the request, and leaves once `reached` holds. */
async function leaveOnce(path: string, body: unknown, reached: () => unknown): Promise<void> {
  const controller = new AbortController();
  const sent = fetch(`${t.h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: controller.signal }).catch(() => undefined);
  await expect.poll(reached).toBe(true);
  controller.abort();
  await sent;
}

describe('a client that leaves while a deployment is thinking', () => {
  it('has the deployment it was waiting on as an attempt the client cut (a stream)', async () => {
    await t.openai.setMode({ kind: 'slow-first-byte', delayMs: 5_000 });
    await leaveOnce('/v1/chat/completions', { model: 'cloud-first', stream: true, messages: [{ role: 'user', content: 'think hard' }] }, () => t.openai.requests.length === 1);
    const row = await newRow();
    expect(row).toMatchObject({ status: 499, errorClass: 'client_closed', route: 'cloud-first' });
    expect(row?.attempts).toEqual([expect.objectContaining({ deployment: 'mini', outcome: 'failed', failure: 'client_closed' })]);
    // The upstream was told too: the gateway closed its request.
    await expect.poll(() => t.openai.aborted.length).toBe(1);
  });

  it('has it for a whole answer, on the Ollama API, after a fallback', async () => {
    await t.ollama.setMode({ kind: 'status', status: 500 });
    await t.openai.setMode({ kind: 'hang' });
    await leaveOnce('/api/chat', { model: 'default', stream: false, messages: [{ role: 'user', content: 'x' }] }, () => t.openai.requests.length === 1);
    const row = await newRow();
    expect(row).toMatchObject({ status: 499, errorClass: 'client_closed' });
    expect(row?.attempts.map((a) => [a.deployment, a.failure])).toEqual([
      ['llama', 'upstream_5xx'],
      ['mini', 'client_closed'],
    ]);
  });
});

describe('a client that leaves before any deployment is asked', () => {
  it('has a row with no attempt, written at once, when it leaves while its body is read', async () => {
    const socket = connect(t.h.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    // Node's server says 100 Continue once the request is theirs: its row was begun by then.
    const heard = new Promise((resolve) => socket.once('data', resolve));
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:${t.h.port}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\nexpect: 100-continue\r\n\r\n`);
    expect(String(await heard)).toContain('100 Continue');
    socket.write('{"model":"default",');
    socket.destroy();
    expect(await newRow(1_000)).toMatchObject({ status: 499, errorClass: 'client_closed', deployment: null, attempts: [] });
  });

  it('has none while it waits in a busy provider\'s queue', async () => {
    const c = twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url });
    Object.assign(c.providers[1]!, { maxConcurrent: 1, queue: { max: 4, timeoutMs: 10_000 } });
    t.h.gateway.applyConfig(c, 'test');
    await t.openai.setMode({ kind: 'slow-first-byte', delayMs: 1_000 });
    const first = fetch(`${t.h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'first' }] }) });
    await expect.poll(() => t.openai.requests.length).toBe(1);
    const queued = () => fetch(`${t.h.url}/health`).then((r) => r.json()).then((health) => health.providers.find((p: { name: string }) => p.name === 'cloud').queued === 1);
    await leaveOnce('/v1/chat/completions', { model: 'mini', messages: [{ role: 'user', content: 'queued' }] }, queued);
    expect(await newRow()).toMatchObject({ status: 499, errorClass: 'client_closed', attempts: [] });
    expect((await first).status).toBe(200);
  });
});
