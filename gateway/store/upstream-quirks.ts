/**
 * What upstreams were found to refuse (providers/quirk-memory.ts), kept so a restart does not ask
 * each strict server to refuse the same field again. A quirk is forgotten 30 days after it was
 * learned: servers are upgraded, and one that takes the field now costs nothing to find out again
 * (a refusal), where one kept forever would leave out a field the server has learned to use.
 */
import type { Database as Db } from 'better-sqlite3';
import type { QuirkRow, QuirkRows } from '../providers/types';

const QUIRK_KEPT_MS = 30 * 24 * 3_600_000;
/** Per upstream and learner, as many as a learner holds in memory. */
const MOST_RECALLED = 1_000;

export function createQuirkStore(db: Db, now: () => number): QuirkRows {
  const recall = db.prepare<[string, string, number, number], { model: string; value: string }>(
    'SELECT model, value FROM (SELECT model, value, learned_at FROM upstream_quirks WHERE upstream = ? AND learner = ? AND learned_at >= ? ORDER BY learned_at DESC LIMIT ?) ORDER BY learned_at',
  );
  const note = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO upstream_quirks (upstream, learner, model, value, learned_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (upstream, learner, model) DO UPDATE SET value = excluded.value, learned_at = excluded.learned_at',
  );
  const expire = db.prepare<[number]>('DELETE FROM upstream_quirks WHERE learned_at < ?');
  const list = db.prepare<[string, number, number], { learner: string; model: string; value: string; learnedAt: number }>(
    'SELECT learner, model, value, learned_at AS learnedAt FROM upstream_quirks WHERE upstream = ? AND learned_at >= ? ORDER BY learned_at DESC LIMIT ?',
  );
  const forget = db.prepare<[string]>('DELETE FROM upstream_quirks WHERE upstream = ?');
  return {
    recall(server, learner) {
      return recall.all(server, learner, now() - QUIRK_KEPT_MS, MOST_RECALLED).flatMap((row) => {
        const value = parsed(row.value);
        return value === undefined ? [] : [[row.model, value] as [string, unknown]];
      });
    },
    note(server, learner, model, value) {
      note.run(server, learner, model, JSON.stringify(value), now());
      expire.run(now() - QUIRK_KEPT_MS);
    },
    list(server) {
      return list.all(server, now() - QUIRK_KEPT_MS, MOST_RECALLED).flatMap((row): QuirkRow[] => {
        const value = parsed(row.value);
        return value === undefined ? [] : [{ learner: row.learner, model: row.model, value, learnedAt: row.learnedAt }];
      });
    },
    forget(server) {
      forget.run(server);
    },
  };
}

/** A damaged value is none: it is learned again, at the cost of one refusal. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
