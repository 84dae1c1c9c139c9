/**
 * Stopping with a grace: a stream in flight runs to its end and logs its row, a request that arrives
 * on an open connection meanwhile gets a 503 in its API's error shape, and whatever is still
 * running when the grace ends is cut and logged as such.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../gateway/store/db';
import { createUsageLog } from '../../gateway/store/usage-log';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, tempDir, type Harness } from '../support/harness';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gateway over an upstream that streams a chunk every `chunkDelayMs`, with a stream in flight on a raw socket. */
async function streamInFlight(chunkDelayMs: number) {
  const upstream = await startFakeOpenAI({ chunkDelayMs });
  cleanups.push(() => upstream.stop());
  const h = await gatewayOver(upstream);
  const socket = connect(h.port, '127.0.0.1');
  const reply = received(socket);
  socket.write(streamed(h.port));
  await reply.some;
  return { h, socket, reply };
}

async function gatewayOver(upstream: FakeServer): Promise<Harness> {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  return startGateway(
    {
      version: 1,
      providers: [{ name: 'cloud', kind: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'env:TEST_KEY' }],
      deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }],
      routes: [{ name: 'slow', deployments: ['mini'] }],
    },
    { dataDir: dir.path },
  );
}

const request = (port: number, body: unknown) => {
  const text = JSON.stringify(body);
  return `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
};
const streamed = (port: number) => request(port, { model: 'slow', stream: true, messages: [{ role: 'user', content: 'one two three four five six seven eight' }] });

/** Everything the socket receives until the server closes it. */
function received(socket: Socket): { text: () => string; ended: Promise<void>; some: Promise<void> } {
  let text = '';
  let first: () => void = () => undefined;
  const some = new Promise<void>((resolve) => (first = resolve));
  socket.on('data', (d) => {
    text += d;
    first();
  });
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { text: () => text, ended, some };
}

function rows(dataDir: string) {
  const db = openDatabase(dataDir);
  try {
    return [...createUsageLog(db).iterate({})];
  } finally {
    db.close();
  }
}

describe('stopping with a grace', () => {
  it('lets a stream finish and log its row, and answers a request that arrives meanwhile with a 503 in OpenAI shape', async () => {
    const { h, socket, reply } = await streamInFlight(60);
    const stopped = h.gateway.stop({ graceMs: 5_000 });
    socket.write(request(h.port, { model: 'slow', messages: [{ role: 'user', content: 'late' }] }));
    await reply.ended;
    await stopped;
    const text = reply.text();
    expect(text.indexOf('data: [DONE]')).toBeGreaterThan(0);
    const late = text.slice(text.indexOf('HTTP/1.1 503'));
    expect(text.indexOf('HTTP/1.1 503')).toBeGreaterThan(text.indexOf('data: [DONE]'));
    expect(late.toLowerCase()).toContain('connection: close');
    expect(late.toLowerCase()).toContain('retry-after: 1');
    expect(late).toContain('"code":"shutting_down"');
    // Refused before it reached a model surface (as the Host/Origin guard refuses): no row of its own.
    expect(rows(h.dataDir).map((r) => [r.status, r.errorClass])).toEqual([[200, null]]);
  });

  it('cuts what is still running when the grace ends, and logs it as cut', async () => {
    const { h, reply } = await streamInFlight(400);
    const started = performance.now();
    await h.gateway.stop({ graceMs: 300 });
    await reply.ended;
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(reply.text()).not.toContain('data: [DONE]');
    expect(rows(h.dataDir).map((r) => r.errorClass)).toEqual(['client_closed']);
  });
});
