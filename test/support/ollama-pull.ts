/** The fake Ollama's `/api/pull` (fake-ollama.ts). */
import type { ServerResponse } from 'node:http';
import { sendJson } from './fake-server';

/**
 * `/api/pull` as Ollama's PullHandler streams it (server/routes.go): an invalid name is a 400, then
 * NDJSON progress (`pulling manifest`, each layer's `pulling <digest>` with `total` and `completed`,
 * `verifying sha256 digest`, `writing manifest`, `success`), and a failure after the first line is an
 * `{"error"}` line. A layer it has already is one line with all its bytes done (download.go's cache
 * hit), and nothing is verified: a pull of a model that is up to date downloads nothing. A client that goes away cancels it (the handler runs on the request's context):
 * nothing is installed then.
 */
export async function pull(body: Record<string, any>, res: ServerResponse, fake: { registry: string[]; stepMs: number; current(model: string): boolean; installed(model: string): void }): Promise<void> {
  const model = String(body.model ?? body.name ?? '');
  if (!/^[\w.-]+(:[\w.-]+)?$/.test(model)) return sendJson(res, 400, { error: 'invalid model name' });
  let gone = false;
  res.on('close', () => (gone = !res.writableFinished));
  const lines: Record<string, unknown>[] = [];
  const send = async (line: Record<string, unknown>) => {
    if (body.stream === false) return void lines.push(line);
    res.write(`${JSON.stringify(line)}\n`);
    await new Promise((r) => setTimeout(r, fake.stepMs));
  };
  if (body.stream !== false) res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  await send({ status: 'pulling manifest' });
  if (!fake.registry.includes(model)) {
    const error = 'pull model manifest: file does not exist';
    if (body.stream === false) return sendJson(res, 500, { error });
    return void res.end(`${JSON.stringify({ error })}\n`);
  }
  const digest = `sha256:${Buffer.from(model).toString('hex').padEnd(64, '0').slice(0, 64)}`;
  const total = 2_019_377_376;
  if (fake.current(model)) {
    await send({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed: total });
    await send({ status: 'writing manifest' });
    if (body.stream === false) return sendJson(res, 200, { status: 'success' });
    return void res.end(`${JSON.stringify({ status: 'success' })}\n`);
  }
  for (let step = 0; step <= 4; step++) {
    if (gone) return;
    await send({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed: Math.round((total * step) / 4) });
  }
  for (const status of ['verifying sha256 digest', 'writing manifest']) await send({ status });
  if (gone) return;
  fake.installed(model);
  if (body.stream === false) return sendJson(res, 200, { status: 'success' });
  res.end(`${JSON.stringify({ status: 'success' })}\n`);
}
