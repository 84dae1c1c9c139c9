/**
 * The usage export over the admin API while requests keep coming: a slow reader (a browser saving a
 * big CSV) holds the export open, and the gateway goes on answering and logging meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../gateway/store/db';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
/** More rows than the sockets and the client's buffers hold as CSV (about 14 MB): the export waits on its reader. */
const ROWS = 40_000;

describe('the usage export', () => {
  it('keeps answering and logging while an export waits for a slow reader, and exports the rows it began with', async () => {
    expect((await t.chat({ model: 'default' })).res.status).toBe(200);
    // Copies of that row (moved from the inbox first), written by another connection as the CLI writes.
    t.h.gateway.usage.settle();
    const other = openDatabase(t.h.dataDir);
    const columns = (other.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('usage') as string[]).filter((c) => c !== 'id');
    const copied = columns.map((c) => (c === 'request_id' ? `request_id || '-' || n` : c)).join(', ');
    other.prepare(`WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?) INSERT INTO usage (${columns.join(', ')}) SELECT ${copied} FROM usage, k`).run(ROWS - 1);
    other.close();

    const res = await t.h.admin('/admin/api/usage/export?format=csv');
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let csv = decoder.decode((await reader.read()).value, { stream: true });
    // The reader waits: requests are answered and their rows written and read meanwhile.
    for (const content of ['during 1', 'during 2']) {
      const { res: answered } = await t.chat({ model: 'default', messages: [{ role: 'user', content }] });
      expect(answered.status).toBe(200);
      expect((await t.h.admin(`/admin/api/usage/${answered.headers.get('x-request-id')}`)).status).toBe(200);
    }
    expect((await fetch(`${t.h.url}/health`)).status).toBe(200);

    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) csv += decoder.decode(chunk.value, { stream: true });
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^request_id,time,/);
    // The rows there were when it began: the requests answered during it are the next export's.
    expect(lines).toHaveLength(1 + ROWS);
  });
});
