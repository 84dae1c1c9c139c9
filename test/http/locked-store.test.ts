/**
 * Another program holding the database's write lock (a sqlite3 shell or database browser with a
 * transaction open) beside a serving gateway: every request is still answered, every usage row and
 * kept Responses answer is committed once the lock is free, and a dashboard change is refused in
 * words. Found by holding the lock for 8 s beside a gateway under load: every write waited out
 * SQLite's 5 s busy timeout on the event loop (/health took 4.9 s), then the rows it held were lost.
 */
import Database from 'better-sqlite3';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../gateway/server';
import { createGatewayAddress } from '../../gateway/store/gateway-address';
import { openDatabase } from '../../gateway/store/db';
import { startGateway, tempDir } from '../support/harness';
import { useTwoTier } from '../support/two-tier';
import { journalLines } from '../support/usage-log';

const t = useTwoTier();

/** Another program's connection with a write transaction open, as a database browser holds one until its changes are written. */
function holdWriteLock(file: string): { release(): void } {
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  let held = true;
  const release = () => {
    if (held) other.exec('COMMIT');
    held = false;
    if (other.open) other.close();
  };
  releases.push(release);
  return { release };
}
const releases: (() => unknown)[] = [];
afterEach(async () => {
  for (const release of releases.splice(0).reverse()) await release();
});

describe('another program holding the write lock', () => {
  it('answers every request while it is held, keeps each row in the journal meanwhile, and commits them all once it is free', async () => {
    const { h } = t;
    const dataDir = dirname(h.gateway.db.name);
    const since = Date.now();
    const lock = holdWriteLock(h.gateway.db.name);
    // Together (their rows share group commits) and one at a time (each row journalled as it goes out alone).
    const together = await Promise.all(Array.from({ length: 12 }, (_, i) => h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: `together ${i}` }] })));
    for (const [i, answer] of together.entries()) expect(answer.choices[0]?.message.content).toBe(`Echo: together ${i}`);
    for (let i = 0; i < 3; i++) expect((await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: `alone ${i}` }] })).choices[0]?.message.content).toBe(`Echo: alone ${i}`);
    const stream = await h.openai.chat.completions.create({ model: 'default', stream: true, messages: [{ role: 'user', content: 'streamed' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Echo: streamed');

    // None is in the log yet (the lock is still held), and every one is safe in the journal.
    expect(t.rows(since)).toHaveLength(0);
    expect(journalLines(dataDir)).toBe(16);
    // /health says why the store is not written, and what waits.
    const held = (await (await fetch(`${h.url}/health`)).json()) as { store: string; storeError: string };
    expect(held.store).toBe('error');
    expect(held.storeError).toMatch(/^usage rows: 16 wait in the journal since \S+Z \(another program holds switchyard\.db's write lock, such as a sqlite3 shell or database browser with changes not yet written\)$/);

    lock.release();
    await expect.poll(() => t.rows(since).map((row) => row.status), { timeout: 10_000 }).toHaveLength(16);
    expect(t.rows(since).every((row) => row.status === 200)).toBe(true);
    // Committed, the journal is cut.
    await expect.poll(() => journalLines(dataDir)).toBe(0);
    expect(await (await fetch(`${h.url}/health`)).json()).toMatchObject({ store: 'ok', storeError: null });
  });

  it('keeps a Responses answer for the next turn: the answer waits for the lock (off the event loop), and the next turn finds it', async () => {
    const { h } = t;
    const lock = holdWriteLock(h.gateway.db.name);
    let answered = false;
    const first = h.openai.responses.create({ model: 'default', input: 'remember me' }).then((answer) => ((answered = true), answer));
    // Other requests go on meanwhile: the event loop is free while the kept answer waits.
    expect((await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'meanwhile' }] })).choices[0]?.message.content).toBe('Echo: meanwhile');
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
    expect(answered).toBe(false);
    lock.release();
    const answer = await first;
    const next = await h.openai.responses.create({ model: 'default', previous_response_id: answer.id, input: 'and again' });
    expect(next.output_text).toContain('Echo:');
    expect(t.ollama.requests.at(-1)?.body).toMatchObject({ messages: expect.arrayContaining([expect.objectContaining({ content: 'remember me' })]) });
  });

  it('refuses a dashboard change while it is held, says why, changes nothing, and takes it once it is free', async () => {
    const { h } = t;
    const lock = holdWriteLock(h.gateway.db.name);
    const change = () => h.admin('/admin/api/settings', { method: 'PATCH', body: JSON.stringify({ settings: { localOnly: true } }) });
    const refused = await change();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await refused.json()).error).toMatchObject({
      code: 'store_busy',
      message: "Switchyard's store is busy: another program holds switchyard.db's write lock, such as a sqlite3 shell or database browser with changes not yet written. Nothing was changed; try again once it is done",
    });
    expect(h.gateway.localOnly()).toBe(false);
    lock.release();
    expect((await change()).status).toBe(200);
    expect(h.gateway.localOnly()).toBe(true);
  });
});

describe('a login link opened while another program holds the write lock', () => {
  it('is not used up: the page says why, and the same link signs in once the lock is free', async () => {
    const { h } = t;
    const token = h.gateway.sessions.issueLoginToken();
    const lock = holdWriteLock(h.gateway.db.name);
    const busy = await fetch(`${h.url}/?token=${token}`, { redirect: 'manual' });
    expect(busy.status).toBe(303);
    expect(busy.headers.get('location')).toBe('/?login=busy');
    expect(busy.headers.get('set-cookie')).toBeNull();
    lock.release();
    const later = await fetch(`${h.url}/?token=${token}`, { redirect: 'manual' });
    expect(later.headers.get('location')).toBe('/');
    expect(later.headers.get('set-cookie')).toMatch(new RegExp(`^switchyard_session_${h.port}=`));
  });
});

describe('a gateway starting or stopping while another program holds the write lock', () => {
  it('starts (noting where it listens once the lock is free), and stops without losing the rows it holds: the next start commits them', async () => {
    const data = tempDir();
    releases.push(() => data.remove());
    const gateway = await createGateway({ dataDir: data.path, port: 0, config: t.config(), discoverOllama: false, healthChecks: false, timeZone: 'UTC' });
    const lock = holdWriteLock(join(data.path, 'switchyard.db'));
    const { baseUrl } = await gateway.start();
    const since = Date.now();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: `kept ${i}` }] }) });
      expect(res.status).toBe(200);
    }
    await gateway.stop();
    expect(journalLines(data.path)).toBe(3);
    lock.release();

    const next = await startGateway(t.config(), { dataDir: data.path });
    try {
      expect([...next.gateway.usage.iterate({ since })].map((row) => row.status)).toEqual([200, 200, 200]);
      expect(journalLines(data.path)).toBe(0);
    } finally {
      await next.stop();
    }
  });

  it('stopped before the lock is free, does not try to note where it listened (nor says it could not)', async () => {
    const data = tempDir();
    releases.push(() => data.remove());
    const logged: string[] = [];
    const logger = { level: 'error', stream: { write: (line: string) => void logged.push(line) } };
    const gateway = await createGateway({ dataDir: data.path, port: 0, config: t.config(), discoverOllama: false, healthChecks: false, timeZone: 'UTC', logger });
    const lock = holdWriteLock(join(data.path, 'switchyard.db'));
    await gateway.start();
    await gateway.stop();
    // Past the first try again (50 ms) and the one after it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    lock.release();
    expect(logged).toEqual([]);
  });

  it('notes where it listens once the lock is free, for login-link and connect', async () => {
    const data = tempDir();
    releases.push(() => data.remove());
    const gateway = await createGateway({ dataDir: data.path, port: 0, config: t.config(), discoverOllama: false, healthChecks: false, timeZone: 'UTC' });
    releases.push(() => gateway.stop());
    const lock = holdWriteLock(join(data.path, 'switchyard.db'));
    const { url } = await gateway.start();
    const db = openDatabase(data.path);
    releases.push(() => db.close());
    const address = createGatewayAddress(db);
    expect(address.running()).toBeUndefined();
    lock.release();
    await expect.poll(() => address.running()?.url).toBe(url);
  });
});
