/**
 * The usage drawer's "Send it again with curl": the command, run by a real shell, sends the kept
 * request to the same front door as it was kept (a here-document adds a line end, which JSON ignores), and whatever the client put in its body (quotes,
 * `$(...)`, a line that would end a here-document) is sent, never run.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { curlOf } from '../../renderer/src/features/usage/as-curl';
import { tempDir } from '../support/harness';

/** Run by bash as a user's shell would, without blocking this process's server. */
const shell = (command: string) => promisify(execFile)('bash', ['-c', command], { timeout: 10_000 });

const received: { path: string; headers: Record<string, unknown>; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    received.push({ path: req.url ?? '', headers: req.headers, body });
    res.end('{}');
  });
});
let origin = '';
const dir = tempDir();
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.close();
  dir.remove();
});

it('sends the body as kept to the endpoint the row names, and runs nothing in it', async () => {
  const marker = join(dir.path, 'ran');
  const body = `{"model":"default","messages":[{"role":"user","content":"it's $(touch ${marker}) \`touch ${marker}\`"}]}\nJSON\ntouch ${marker}\nJSON_`;
  const command = curlOf(origin, 'chat.completions', body, true)!;
  await shell(command);
  expect(received.at(-1)).toMatchObject({ path: '/v1/chat/completions', body: `${body}\n`, headers: { 'content-type': 'application/json', authorization: 'Bearer <your client key>' } });
  expect(existsSync(marker)).toBe(false);

  await shell(curlOf(origin, 'anthropic.messages', '{"model":"m"}', false)!);
  expect(received.at(-1)).toMatchObject({ path: '/v1/messages', body: '{"model":"m"}\n', headers: { 'anthropic-version': '2023-06-01' } });
  expect(received.at(-1)?.headers.authorization).toBeUndefined();
});

it('names the downloaded file for a request cut short, and offers nothing for the playground', () => {
  expect(curlOf(origin, 'ollama.chat', undefined, false)).toBe(`curl -sS '${origin}/api/chat' -H 'content-type: application/json' --data-binary @request.json`);
  expect(curlOf(origin, 'playground', '{}', false)).toBeUndefined();
  expect(curlOf(origin, 'constructor', '{}', false)).toBeUndefined();
});
