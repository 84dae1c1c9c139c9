/**
 * The names a route or provider has had, and when each was its name. Usage rows keep the names they
 * were written under, so what a route or provider spent in a period (its budgets) is what each of its
 * names spent while it was that route's. A rename is noted as the revision that makes it is saved
 * (store/config-store.ts), by whichever path (the dashboard, an import, a restore, an edited file),
 * gateway running or not; a restart reads it again. Kept past the start of the longest period.
 */
import type { Db } from './db';

export type RenamedKind = 'route' | 'provider';

/** A name and the instants it counts between: `until` undefined is to now. Minute-aligned, as the rollups are. */
export interface NameSpan {
  name: string;
  from: number;
  until: number | undefined;
}

const MINUTE = 60_000;
/** A month's period starts at most 31 days back; a rename before it only ends a name's span there. */
const KEPT_MS = 62 * 86_400_000;
/** Renames followed back from a name, at most: each is a lookup and two rollup sums. */
const CHAIN_MAX = 32;

/** Notes the renames of one kind a saved revision makes (old name to new), at `at`. */
export function renamesNoted(db: Db): (kind: RenamedKind, renamed: ReadonlyMap<string, string>, at: number) => void {
  const insert = db.prepare<[string, string, string, number]>('INSERT INTO scope_renames (kind, from_name, to_name, at) VALUES (?, ?, ?, ?)');
  const expire = db.prepare<[number]>('DELETE FROM scope_renames WHERE at < ?');
  return (kind, renamed, at) => {
    if (renamed.size === 0) return;
    for (const [from, to] of renamed) insert.run(kind, from, to, at);
    expire.run(at - KEPT_MS);
  };
}

/**
 * The spans of the names a route or provider named `name` now has had since `since`, newest first.
 * A rename into a name continues it under the earlier one; a rename away from it (the name given to
 * another since) ends it there. At a rename the old name's span runs to the end of that minute and the
 * new one's from its start: rows of either are counted once, under the name they have.
 */
export function scopeNames(db: Db): (kind: RenamedKind, name: string, since: number) => NameSpan[] {
  // Before a point in the order they were noted: (at, rowid), as two revisions may be saved in one millisecond.
  const latest = db.prepare<[string, string, string, number, number, number], { from_name: string; to_name: string; at: number; id: number }>(
    `SELECT from_name, to_name, at, rowid AS id FROM scope_renames WHERE kind = ? AND (to_name = ? OR from_name = ?) AND (at < ? OR (at = ? AND rowid < ?))
     ORDER BY at DESC, rowid DESC LIMIT 1`,
  );
  return (kind, name, since) => {
    const spans: NameSpan[] = [];
    // A name had twice (a rename undone) ends its earlier span where its later one starts: no row counts twice.
    const laterFrom = new Map<string, number>();
    const add = (span: NameSpan) => {
      const later = laterFrom.get(span.name);
      const until = later === undefined ? span.until : Math.min(span.until ?? later, later);
      spans.push({ ...span, until });
      laterFrom.set(span.name, span.from);
    };
    let current = name;
    let until: number | undefined;
    let before = { at: Number.MAX_SAFE_INTEGER, id: 0 };
    for (let i = 0; i < CHAIN_MAX; i++) {
      const rename = latest.get(kind, current, current, before.at, before.at, before.id);
      const minute = rename && Math.floor(rename.at / MINUTE) * MINUTE;
      if (!rename || minute === undefined || minute < since) break;
      add({ name: current, from: minute, until });
      if (rename.to_name !== current) return spans;
      current = rename.from_name;
      until = minute + MINUTE;
      before = { at: rename.at, id: rename.id };
    }
    add({ name: current, from: since, until });
    return spans;
  };
}
