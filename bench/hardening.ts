/**
 * What issue 12's defects did to the gateway, as figures: how long `/health` waits while the
 * gateway estimates the tokens of a 1 MiB prompt without spaces (for the usage row when the upstream
 * reports no usage, and for a context window on the routing path), and how far RSS rises while a
 * 30 MiB stream passes to a fast reader.
 */
import { Client } from 'undici';
import { memoryMiB } from './processes';

async function healthDuring<T>(origin: string, work: Promise<T>): Promise<number> {
  const client = new Client(origin);
  let worst = 0;
  let done = false;
  void work.finally(() => (done = true));
  while (!done) {
    const t0 = performance.now();
    await (await client.request({ path: '/health', method: 'GET' })).body.dump();
    worst = Math.max(worst, performance.now() - t0);
  }
  await client.close();
  return worst;
}

export async function measureHardening(origin: string, pid: number) {
  const post = (body: unknown) => fetch(`${origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.text());
  const prompt = 'ACGT'.repeat(256 * 1024);
  // The tokenizer loads on first use (once per process, ~300 ms of CPU, in a worker thread): measured apart from the estimate itself.
  const loadMs = await healthDuring(origin, post({ model: 'nousage', messages: [{ role: 'user', content: 'warm up' }] }));
  const healthWorstMs = await healthDuring(origin, post({ model: 'nousage', messages: [{ role: 'user', content: prompt }] }));
  // The same prompt checked against a context window on the routing path (the upstream reports usage).
  const routingWorstMs = await healthDuring(origin, post({ model: 'windowed', messages: [{ role: 'user', content: prompt }] }));
  const idleWorstMs = await healthDuring(origin, new Promise((r) => setTimeout(r, 300)));
  const before = memoryMiB(pid)?.rss ?? Number.NaN;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryMiB(pid)?.rss ?? 0)), 20);
  const streamed = await post({ model: 'long', stream: true, messages: [{ role: 'user', content: 'x' }] });
  clearInterval(sampler);
  return { healthWorstMsDuringTokenizerLoad: loadMs, healthWorstMsDuring1MiBEstimate: healthWorstMs, healthWorstMsDuring1MiBRoutingEstimate: routingWorstMs, healthWorstMsIdle: idleWorstMs, rssBeforeStreamMiB: before, rssPeakDuring30MiBStreamMiB: peak, streamedMiB: streamed.length / 1024 / 1024 };
}
