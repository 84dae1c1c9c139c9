/**
 * A request's prompt and answer, kept while "Store prompts and answers" is on, read back through the
 * admin API: the start of each for the Usage page's drawer, either one whole as a download (sent as
 * stored, not escaped into JSON), nulls where nothing was kept, and a 404 for a request not logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, type Harness } from '../support/harness';

let openai: FakeServer;
let h: Harness;
const config = (logBodies: boolean) => ({
  version: 1,
  providers: [{ name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' }],
  deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }],
  routes: [{ name: 'default', deployments: ['mini'] }],
  settings: { usage: { logBodies } },
});
beforeAll(async () => {
  openai = await startFakeOpenAI();
  h = await startGateway(config(true));
});
afterAll(async () => {
  await h.stop();
  await openai.stop();
});

/** Sends a chat with the OpenAI client and returns its request id (from the raw response). */
async function chat(content: string): Promise<string> {
  const { response } = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content }] }).withResponse();
  return response.headers.get('x-request-id')!;
}
const bodies = (id: string) => h.admin(`/admin/api/usage/${encodeURIComponent(id)}/bodies`);

describe("a request's kept prompt and answer", () => {
  it('reads back as the client sent the request and as the answer reached it', async () => {
    const id = await chat('what is the capital of France?');
    await expect.poll(async () => (await bodies(id)).status).toBe(200);
    const kept = (await (await bodies(id)).json()) as { request: { text: string; length: number }; answer: { text: string; length: number } };
    expect(JSON.parse(kept.request.text)).toMatchObject({ model: 'default', messages: [{ role: 'user', content: 'what is the capital of France?' }] });
    expect(kept.request.length).toBe(kept.request.text.length);
    expect(kept.answer).toEqual({ text: 'Echo: what is the capital of France?', length: 36 });
  });

  it('shows the start of a long prompt, and gives it whole as a download', async () => {
    const long = 'word '.repeat(60_000);
    const id = await chat(long);
    await expect.poll(async () => (await bodies(id)).status).toBe(200);
    const kept = (await (await bodies(id)).json()) as { request: { text: string; length: number } };
    expect(kept.request.text).toHaveLength(100_000);
    expect(kept.request.length).toBeGreaterThan(300_000);
    const whole = await h.admin(`/admin/api/usage/${id}/bodies/request`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(whole.headers.get('content-disposition')).toMatch(/^attachment; filename="[\w-]+-request\.json"$/);
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await whole.text();
    expect(text).toHaveLength(kept.request.length);
    expect(JSON.parse(text).messages[0].content).toBe(long);
    const answer = await h.admin(`/admin/api/usage/${id}/bodies/answer`);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await answer.text()).startsWith('Echo: word word')).toBe(true);
  });

  it('says nothing was kept for a request made while storing was off, or one that is not there', async () => {
    h.gateway.applyConfig(config(false), 'test');
    try {
      const id = await chat('not kept');
      await expect.poll(() => h.gateway.usage.row(id)).toBeTruthy();
      const res = await bodies(id);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ request: null, answer: null });
      const download = await h.admin(`/admin/api/usage/${id}/bodies/request`);
      expect(download.status).toBe(404);
      expect((await download.json()).error.message).toContain('kept only while "Store prompts and answers" is on');
    } finally {
      h.gateway.applyConfig(config(true), 'test');
    }
    const unknown = await h.admin('/admin/api/usage/no-such-request/bodies');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toBe('No request with id "no-such-request" is in the usage log');
    expect((await h.admin('/admin/api/usage/no-such-request/bodies/other')).status).toBe(400);
  });
});
