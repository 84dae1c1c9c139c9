/**
 * Kept Responses answers in a real SQLite file: a conversation rebuilt from its links oldest first,
 * each turn stored once, deletion, retention, and a bounded walk however long the chain.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../gateway/store/db';
import { createResponsesStore } from '../../gateway/store/responses-store';
import { turnsDuring } from '../support/event-loop';
import { tempDir } from '../support/harness';

const open: { db: Db; dir: { remove(): void } }[] = [];
afterEach(() => {
  for (const { db, dir } of open.splice(0)) {
    db.close();
    dir.remove();
  }
});

function store() {
  const dir = tempDir();
  const db = openDatabase(dir.path);
  open.push({ db, dir });
  return { db, dir: dir.path, responses: createResponsesStore(db) };
}

const turn = (id: string, previousId: string | null, said: string) => {
  const output = [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `Echo: ${said}` }] }];
  return { id, previousId, input: [{ role: 'user', content: said }], output, items: [[`msg_${id}`, 0] as const], response: { id, object: 'response', said }, owner: null };
};

describe('the responses store', () => {
  it('rebuilds a conversation oldest first, each turn stored once', () => {
    const { db, responses } = store();
    responses.save(turn('resp_1', null, 'a'), 1_000);
    responses.save(turn('resp_2', 'resp_1', 'b'), 2_000);
    responses.save(turn('resp_3', 'resp_2', 'c'), 3_000);
    expect(responses.conversation('resp_3', null)?.map((i) => (i as { content: unknown }).content)).toEqual([
      'a', [{ type: 'output_text', text: 'Echo: a' }],
      'b', [{ type: 'output_text', text: 'Echo: b' }],
      'c', [{ type: 'output_text', text: 'Echo: c' }],
    ]);
    expect(responses.conversation('resp_nope', null)).toBeUndefined();
    expect(responses.get('resp_2', null)).toEqual({ id: 'resp_2', object: 'response', said: 'b' });
    // A branch from an earlier turn shares that turn's row.
    responses.save(turn('resp_2b', 'resp_1', 'b2'), 2_500);
    expect(responses.conversation('resp_2b', null)).toHaveLength(4);
    expect(db.prepare('SELECT count(*) AS n FROM responses').get()).toEqual({ n: 4 });
  });

  it('deletes one response, and prunes those older than the retention', async () => {
    const { responses } = store();
    responses.save(turn('resp_1', null, 'a'), 1_000);
    responses.save(turn('resp_2', 'resp_1', 'b'), 5_000);
    expect(responses.delete('resp_2', null)).toBe(true);
    expect(responses.delete('resp_2', null)).toBe(false);
    responses.save(turn('resp_3', 'resp_1', 'c'), 5_000);
    await responses.prune(2_000);
    expect(responses.get('resp_1', null)).toBeUndefined();
    // The earlier turn is gone: the conversation continues from what is left.
    expect(responses.conversation('resp_3', null)).toHaveLength(2);
  });

  it('finds an output item by its id, for its owner only, and lets it go with its response', async () => {
    const { db, responses } = store();
    const item = (id: string, owner: string | null) => responses.items([id], owner).get(id);
    responses.save(turn('resp_1', null, 'a'), 1_000);
    responses.save({ ...turn('resp_2', 'resp_1', 'b'), owner: 'editor' }, 5_000);
    expect(item('msg_resp_1', null)).toEqual({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Echo: a' }] });
    expect(item('msg_resp_2', 'editor')).toMatchObject({ content: [{ text: 'Echo: b' }] });
    expect(item('msg_resp_2', null)).toBeUndefined();
    expect(item('msg_resp_1', 'editor')).toBeUndefined();
    expect(responses.delete('resp_2', 'editor')).toBe(true);
    expect(item('msg_resp_2', 'editor')).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS n FROM response_items').get()).toEqual({ n: 1 });
    await responses.prune(2_000);
    expect(item('msg_resp_1', null)).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS n FROM response_items').get()).toEqual({ n: 0 });
  });

  it('commits the answers saved in one turn of the event loop together, resolving each save once committed, and reads them first', async () => {
    const { dir, responses } = store();
    // Another connection sees only what is committed, and counts the commits it sees.
    const other = openDatabase(dir);
    try {
      const version = () => other.pragma('data_version', { simple: true }) as number;
      const kept = () => (other.prepare('SELECT count(*) AS n FROM responses').get() as { n: number }).n;
      const before = version();
      const saves = Array.from({ length: 50 }, (_, i) => responses.save(turn(`resp_${i}`, null, `q${i}`), 1_000));
      expect(kept()).toBe(0);
      await Promise.all(saves);
      expect([kept(), version() - before]).toEqual([50, 1]);
      // A read in the same turn as a save finds it: it commits what waits first.
      const waiting = responses.save(turn('resp_new', 'resp_0', 'next'), 2_000);
      expect(responses.conversation('resp_new', null)).toHaveLength(4);
      expect(kept()).toBe(51);
      await waiting;
    } finally {
      other.close();
    }
  });

  it("reads each response's output once however many of its items are asked for, so a request naming thousands stays linear", () => {
    const { responses } = store();
    const output = Array.from({ length: 50 }, (_, i) => ({ id: `msg_${i}`, type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `part ${i}` }] }));
    responses.save({ id: 'resp_big', previousId: null, input: [], output, items: output.map((o, i) => [o.id, i] as const), response: { id: 'resp_big', output }, owner: null }, 1_000);
    const asked = Array.from({ length: 5_000 }, (_, i) => `msg_${i % 50}`);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const found = responses.items([...asked, 'msg_unknown'], null);
      expect(found.size).toBe(50);
      expect(found.get('msg_7')).toMatchObject({ content: [{ text: 'part 7' }] });
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('keeps each response to the client key that made it', () => {
    const { responses } = store();
    responses.save({ ...turn('resp_k', null, 'mine'), owner: 'editor' }, 1_000);
    expect(responses.get('resp_k', 'editor')).toMatchObject({ said: 'mine' });
    expect(responses.get('resp_k', 'other')).toBeUndefined();
    expect(responses.get('resp_k', null)).toBeUndefined();
    expect(responses.conversation('resp_k', null)).toBeUndefined();
    expect(responses.delete('resp_k', 'other')).toBe(false);
    // Another key's save under the same id (an upstream's id, an answer replayed) never replaces it; its own does.
    responses.save({ ...turn('resp_k', null, 'theirs'), owner: 'other' }, 2_000);
    expect(responses.get('resp_k', 'editor')).toMatchObject({ said: 'mine' });
    responses.save({ ...turn('resp_k', null, 'mine again'), owner: 'editor' }, 3_000);
    expect(responses.get('resp_k', 'editor')).toMatchObject({ said: 'mine again' });
    expect(responses.delete('resp_k', 'editor')).toBe(true);
  });

  it('prunes a big store a few responses at a time, with requests served between', async () => {
    const { db, responses } = store();
    db.transaction(() => {
      for (let i = 0; i < 1_000; i++) responses.save(turn(`resp_old_${i}`, null, 'old'), 1_000);
    })();
    responses.save(turn('resp_new', null, 'new'), 9_000);
    const { turns } = await turnsDuring(() => responses.prune(2_000));
    expect(turns).toBeGreaterThanOrEqual(10);
    expect(db.prepare('SELECT count(*) AS n FROM responses').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM response_items').get()).toEqual({ n: 1 });
  });

  it('walks a long chain (or a cycle written by hand) a bounded number of steps', () => {
    const { responses } = store();
    responses.save(turn('resp_a', 'resp_b', 'a'), 1);
    responses.save(turn('resp_b', 'resp_a', 'b'), 2);
    expect(responses.conversation('resp_a', null)).toHaveLength(2_000);
  });
});
