/**
 * The transport's timeouts against a real upstream on loopback that is slow to send its headers:
 * a streamed answer must show its first byte within firstByteMs, while a whole answer (its first
 * byte comes when it is done) has until totalMs, unless the provider sets firstByteMs itself. And a
 * stream that keeps coming is not cut at the default totalMs (a long answer from a local model on a
 * CPU), only at one the provider sets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from '../../gateway/cancel';
import { createTransport, DEFAULT_TIMEOUTS, defaultTimeouts } from '../../gateway/providers/transport';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';

let upstream: FakeServer;
beforeAll(async () => {
  upstream = await startFakeOpenAI();
  await upstream.setMode({ kind: 'slow-first-byte', delayMs: 1_500 });
});
afterAll(() => upstream.stop());

const defaults = { connectMs: 1_000, firstByteMs: 200, idleMs: 1_000, totalMs: 5_000 };
const transport = (timeouts?: { firstByteMs: number }) => createTransport({ providerName: 'slow', baseUrl: `${upstream.url}/v1`, headers: {}, defaults, timeouts });
const chat = (stream: boolean) => ({ method: 'POST' as const, path: '/chat/completions', body: { model: 'gpt-4.1-mini', stream, messages: [{ role: 'user', content: 'hi' }] } });

describe('the upstream transport', () => {
  it('waits for a whole answer past the first-byte default: it arrives in one piece when done', async () => {
    const t = transport();
    try {
      const { value } = await t.json<{ choices: { message: { content: string } }[] }>(chat(false), undefined);
      expect(value.choices[0]?.message.content).toBe('Echo: hi');
    } finally {
      await t.close();
    }
  });

  it('gives up on a stream whose first byte is later than firstByteMs', async () => {
    const t = transport();
    try {
      await expect(t.stream(chat(true), new Cancellation())).rejects.toMatchObject({ failure: 'timeout' });
    } finally {
      await t.close();
    }
  });

  it('lets a stream that keeps coming run past the default totalMs, and cuts it at one the provider sets', async () => {
    // Eight words, one each 100 ms: the stream lasts about 0.8 s, over a 300 ms total.
    const steady = await startFakeOpenAI({ chunkDelayMs: 100 });
    const words = { method: 'POST' as const, path: '/chat/completions', body: { model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'one two three four five six seven eight' }] } };
    const read = async (timeouts?: { totalMs: number }) => {
      const t = createTransport({ providerName: 'steady', baseUrl: `${steady.url}/v1`, headers: {}, defaults: { ...defaults, totalMs: 300 }, timeouts });
      const opened = await t.stream(words, new Cancellation());
      let text = '';
      try {
        for await (const bytes of opened.body) text += Buffer.from(bytes).toString('utf8');
        return text;
      } finally {
        opened.end();
        await t.close();
      }
    };
    try {
      expect(await read()).toContain('data: [DONE]');
      await expect(read({ totalMs: 300 })).rejects.toThrow(/300 ms/);
    } finally {
      await steady.stop();
    }
  });

  it('waits on a silent cloud stream as long as the clients themselves do, and calls a local one stalled at 30 s', () => {
    // GPT-5 thinks unseen for minutes before its first event; Codex waits 300 s, Claude Code 90 s.
    for (const kind of ['openai', 'anthropic'] as const) expect(defaultTimeouts(kind, false).idleMs, kind).toBeGreaterThanOrEqual(300_000);
    // An Ollama, and any server on this machine, streams its thinking: a silence is a wedged runner, and the next deployment is tried.
    for (const kind of ['ollama', 'openai', 'anthropic'] as const) expect(defaultTimeouts(kind, true).idleMs, kind).toBe(30_000);
    expect(defaultTimeouts('openai', true)).toEqual({ ...DEFAULT_TIMEOUTS.openai, idleMs: 30_000, firstByteMs: 120_000 });
  });

  it('gives a server on this machine or its network of any kind the first byte a local model loading takes, as an Ollama', () => {
    // LM Studio loads a model on its first request (just in time), as Ollama does: a cloud's 60 s would cut that load.
    for (const kind of ['ollama', 'openai', 'anthropic'] as const) expect(defaultTimeouts(kind, true).firstByteMs, kind).toBe(DEFAULT_TIMEOUTS.ollama.firstByteMs);
    for (const kind of ['openai', 'anthropic'] as const) expect(defaultTimeouts(kind, false).firstByteMs, kind).toBe(60_000);
    // A GPU box elsewhere on the network loads models so too; it may be a proxy to a cloud, so its silences are a cloud's.
    for (const kind of ['openai', 'anthropic'] as const) expect(defaultTimeouts(kind, false, true), kind).toEqual({ ...DEFAULT_TIMEOUTS[kind], firstByteMs: 120_000 });
  });

  it('bounds a whole answer by a firstByteMs the provider sets itself', async () => {
    const t = transport({ firstByteMs: 200 });
    try {
      await expect(t.json(chat(false), undefined)).rejects.toMatchObject({ failure: 'timeout' });
    } finally {
      await t.close();
    }
  });
});
