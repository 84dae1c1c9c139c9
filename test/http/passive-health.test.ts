/**
 * What live traffic says of a provider's health on /health (and so on the dashboard and in its
 * "is down" notices): only a failure its breaker would count shows it down. A request the upstream
 * refused as wrong shows it answering; one it could not take (too long, tools it lacks, a 429, a
 * refused key) says nothing either way; a 5xx (one model's runner failed) downs the deployment, not
 * its Ollama, which answered; of a request retried on one deployment, the last try is what the
 * dashboard shows; and a stream that broke after its first chunk counts once it ended.
 */
import { describe, expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ config: (t) => t.configWith({}, { retry: { attempts: 2, backoffMs: 400, maxBackoffMs: 400 } }) });

const health = async () => {
  const report = await fetch(`${t.h.url}/health`).then((r) => r.json());
  const local = report.providers.find((p: { name: string }) => p.name === 'local');
  const llama = report.deployments.find((d: { name: string }) => d.name === 'llama');
  return { local: local.status as string, llama: llama.status as string, lastError: local.lastError as string | null };
};
const ollamaSays = (status: number, error: string) => t.ollama.setMode({ kind: 'status', status, body: { error } });

describe('passive health from live traffic', () => {
  it('shows a provider that refused a request as wrong as answering, not down', async () => {
    await t.ollama.setMode({ kind: 'refuse' });
    expect((await t.chat({ model: 'llama' })).res.status).toBe(503);
    expect(await health()).toMatchObject({ local: 'down', llama: 'down' });

    // The client's mistake: any deployment would refuse it, and Ollama is plainly running.
    await ollamaSays(400, 'invalid tool schema: properties must be an object');
    expect((await t.chat({ model: 'llama' })).res.status).toBe(400);
    expect(await health()).toMatchObject({ local: 'up', llama: 'up' });
  });

  it('leaves the status as it was for a request the deployment could not take, however it said so', async () => {
    await t.ollama.setMode({ kind: 'healthy' });
    expect((await t.chat({ model: 'llama' })).res.status).toBe(200);
    const before = await health();
    expect(before.local).toBe('up');

    const unfit = [
      [400, 'registry.ollama.ai/library/llama3.2:3b does not support tools'],
      [400, 'the prompt is too long for the context window'],
      [429, 'server busy, please try again'],
      [401, 'unauthorized'],
      [404, 'model "llama3.2:3b" not found, try pulling it first'],
    ] as const;
    for (const [status, error] of unfit) {
      await ollamaSays(status, error);
      // The route moves on to the cloud deployment, which answers.
      const { res } = await t.chat({ model: 'default' });
      expect(res.headers.get('x-switchyard-deployment'), error).toBe('mini');
      const after = await health();
      expect(after.local, error).toBe('up');
      expect(after.lastError, error).toBe(before.lastError);
    }
  });

  it("shows a model whose runner failed (a 5xx) down, and its Ollama, which answered, up", async () => {
    await t.ollama.setMode({ kind: 'healthy' });
    expect((await t.chat({ model: 'llama' })).res.status).toBe(200);
    await ollamaSays(500, 'model requires more system memory (12.3 GiB) than is available (8.0 GiB)');
    expect((await t.chat({ model: 'llama' })).res.status).toBe(503);
    expect(await health()).toMatchObject({ local: 'up', llama: 'down' });
  });

  it('shows the last try of a request retried on one deployment', async () => {
    await ollamaSays(500, 'llama runner process has terminated');
    const answer = t.chat({ model: 'default' });
    await expect.poll(() => t.ollama.requests.length).toBe(1);
    await t.ollama.setMode({ kind: 'healthy' });
    const { res } = await answer;
    expect(res.headers.get('x-switchyard-deployment')).toBe('llama');
    expect(res.headers.get('x-switchyard-attempts')).toBe('2');
    expect(await health()).toMatchObject({ local: 'up', llama: 'up' });
  });

  it('shows a stream that broke after its first chunk as a failure, once it ended', async () => {
    await t.ollama.setMode({ kind: 'healthy' });
    expect((await t.chat({ model: 'llama' })).res.status).toBe(200);
    await t.ollama.setMode({ kind: 'reset-mid-stream', chunks: 3 });
    const { res, text } = await t.chat({ model: 'llama', stream: true });
    // Under way when it broke: the client has the words so far, then the error event.
    expect(res.status).toBe(200);
    expect(text).toMatch(/"error"/);
    expect(await health()).toMatchObject({ local: 'down', llama: 'down' });
  });
});
