/**
 * An Ollama pull's progress stream at its edges, from a real HTTP server on loopback that writes
 * Ollama's NDJSON: a pull long enough to write more progress than any answer may hold (Ollama
 * writes a line every 60 ms, about 1 MB a minute) still ends in success, and a line that never ends
 * is refused before it fills memory.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { envSecrets } from '../../gateway/config/secrets';
import { closeAdapters, createProviderSet, upstreamContext } from '../../gateway/providers/registry';
import type { PullProgress } from '../../gateway/providers/types';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** An Ollama whose /api/pull writes what `write` writes. */
async function ollamaPulling(write: (res: import('node:http').ServerResponse) => void) {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    write(res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const { adapters } = createProviderSet([{ name: 'local', kind: 'ollama', baseUrl: url }], upstreamContext(envSecrets({})));
  return adapters.get('local')!;
}

describe("an Ollama pull's progress", () => {
  it('is read whole however long the pull: 40 MiB of progress lines, then success', async () => {
    const total = 42_000_000_000;
    const adapter = await ollamaPulling((res) => {
      const line = (completed: number) => `${JSON.stringify({ status: 'pulling 6a0746a1ec1a', digest: `sha256:${'6a0746a1ec1a'.padEnd(64, '0')}`, total, completed })}\n`;
      // Past the 32 MiB any other answer may be: about 40 minutes of Ollama's progress at 60 ms a line.
      const lines = Math.ceil((40 * 1024 * 1024) / line(total).length);
      let sent = 0;
      const more = () => {
        while (sent < lines) {
          sent += 1;
          if (!res.write(line(Math.round((total * sent) / lines)))) return void res.once('drain', more);
        }
        res.end(`${JSON.stringify({ status: 'verifying sha256 digest' })}\n${JSON.stringify({ status: 'success' })}\n`);
      };
      res.write(`${JSON.stringify({ status: 'pulling manifest' })}\n`);
      more();
    });
    // How many steps were told, the most bytes one said, and the last two.
    const last: PullProgress[] = [];
    let told = 0;
    let most = 0;
    try {
      await adapter.pull!('qwen3-coder:480b', AbortSignal.timeout(60_000), (step) => {
        told += 1;
        most = Math.max(most, step.completed ?? 0);
        last.push(step);
        if (last.length > 2) last.shift();
      });
      expect(told).toBeGreaterThan(200_000);
      expect(most).toBe(total);
      expect(last.map((s) => s.status)).toEqual(['verifying sha256 digest', 'success']);
    } finally {
      await closeAdapters([adapter]);
    }
  }, 60_000);

  it('refuses a line that never ends before it fills memory', async () => {
    const adapter = await ollamaPulling((res) => {
      res.write(`${JSON.stringify({ status: 'pulling manifest' })}\n`);
      res.write(`{"status":"${'x'.repeat(70 * 1024)}`);
    });
    try {
      await expect(adapter.pull!('qwen3:8b', AbortSignal.timeout(10_000), () => undefined)).rejects.toThrow('local sent a progress line longer than 64 KiB');
    } finally {
      await closeAdapters([adapter]);
    }
  });
});
