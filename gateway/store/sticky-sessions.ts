/**
 * Where each session was last answered, saved beside the router's memory of it (routing/sessions.ts)
 * so that a restart (the desktop app's update, a reboot) keeps a conversation on the deployment it
 * was on, prompt cache and all. The memory is saved a few seconds at a time, not per request: a
 * request pays no write for it, and a crash loses at most those seconds of changes.
 */
import { writeTransaction, type Db } from './db';
import { SESSION_IDLE_MS, type KeptSession, type SessionMemory } from '../routing/sessions';

/** How often what changed is saved. */
export const STICKY_SAVE_MS = 5_000;
/** As many as the memory holds. */
const MOST_LOADED = 10_000;

export interface StickySessionStore {
  /** Saves the sessions answered (or forgotten) since the last save, and forgets those idle past the sessions' idle time. */
  save(): void;
}

/** Fills `memory` with the sessions saved within the idle time, and saves it from then on. */
export function keepStickySessions(db: Db, memory: SessionMemory, now: () => number, idleMs = SESSION_IDLE_MS): StickySessionStore {
  const load = db.prepare<[number, number], KeptSession>('SELECT id, deployment, at FROM sticky_sessions WHERE at >= ? ORDER BY at DESC LIMIT ?');
  const upsert = db.prepare<[string, string, number]>('INSERT INTO sticky_sessions (id, deployment, at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET deployment = excluded.deployment, at = excluded.at');
  const expire = db.prepare<[number]>('DELETE FROM sticky_sessions WHERE at < ?');
  const remove = db.prepare<[string]>('DELETE FROM sticky_sessions WHERE id = ?');
  // The newest, restored oldest first so the memory's order of use is theirs.
  memory.restore(load.all(now() - idleMs, MOST_LOADED).reverse());
  const write = writeTransaction(db, ({ kept, forgotten }: { kept: KeptSession[]; forgotten: string[] }) => {
    for (const id of forgotten) remove.run(id);
    for (const s of kept) upsert.run(s.id, s.deployment, s.at);
    expire.run(now() - idleMs);
  });
  return {
    save() {
      const changed = memory.changed();
      if (changed.kept.length === 0 && changed.forgotten.length === 0) return;
      try {
        write(changed);
      } catch (error) {
        memory.unsaved(changed);
        throw error;
      }
    },
  };
}
