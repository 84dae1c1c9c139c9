/**
 * Responses API answers kept for `previous_response_id`: each turn's own input items and output
 * items, linked to the turn before, so a long conversation is stored once, not once per turn. A
 * conversation is rebuilt by walking the links back (at most MAX_TURNS), oldest first. Output items
 * are also found by id, for `item_reference` inputs, in their response's output: they go with it.
 *
 * Saves are group-committed: the answers kept in one turn of the event loop go in one transaction
 * (a kept answer writes pages of four b-trees: with a commit of its own each, a kept answer's request
 * cost 1.4x the same request unkept under load, 1.24x grouped). A save resolves once committed, and
 * a request's usage row waits for it, so a client never has an answer whose id is not kept yet;
 * reads commit what waits first.
 */
import { isBusy, nextPause } from './busy';
import { writeTransaction, type Db } from './db';

/** How long answers are kept when settings.responses.retentionDays is unset. */
export const RESPONSES_RETENTION_DAYS = 30;

/** The most turns a conversation is rebuilt from; older ones are left out. */
const MAX_TURNS = 1_000;
/** Responses pruned at a time. */
const PRUNE_STEP = 100;
/** How long a save waits for another process's write lock before it is given up (its answer goes out, unkept). */
const LOCKED_OUT_MS = 30_000;

export interface StoredResponse {
  id: string;
  previousId: string | null;
  /** This turn's input items (after its instructions), as sent. */
  input: unknown[];
  output: unknown[];
  /** Output items by the id the client saw (an `item_reference` names one): where each is in `output`. */
  items: ReadonlyArray<readonly [id: string, position: number]>;
  /** The Response object as the client got it, for GET /v1/responses/{id}. */
  response: Record<string, unknown>;
  /** The client key that made it (null: a request without a key). Only the same key reads it again. */
  owner: string | null;
}

/** Every read takes the asking client key's name (null: none); another key's response is as unknown. */
export interface ResponsesStore {
  /** Resolves once the answer is committed, with the others saved in the same turn of the event loop. */
  save(entry: StoredResponse, at: number): Promise<void>;
  get(id: string, owner: string | null): Record<string, unknown> | undefined;
  /** Every input and output item of the conversation up to and including `id`, oldest first; undefined if `id` is unknown. */
  conversation(id: string, owner: string | null): unknown[] | undefined;
  /** A kept response's own input items, as sent (its conversation before it not included). */
  input(id: string, owner: string | null): unknown[] | undefined;
  /**
   * Output items of kept responses, by their ids (those not kept are left out). Each response's
   * output is read once however many of its items are asked for: a request may name thousands.
   */
  items(ids: Iterable<string>, owner: string | null): Map<string, unknown>;
  delete(id: string, owner: string | null): boolean;
  /** Deletes the responses made before `before`, with their items, a step at a time; resolves when done. */
  prune(before: number): Promise<void>;
}

export function createResponsesStore(db: Db): ResponsesStore {
  // A row of another client key is never replaced, whatever id an answer comes back with.
  const insert = db.prepare(
    "INSERT INTO responses (id, created_at, previous_id, input, output, response, owner) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET created_at = excluded.created_at, previous_id = excluded.previous_id, input = excluded.input, output = excluded.output, response = excluded.response WHERE COALESCE(responses.owner, '') = COALESCE(excluded.owner, '')",
  );
  const insertItem = db.prepare('INSERT OR REPLACE INTO response_items (owner, id, response_id, position) VALUES (?, ?, ?, ?)');
  // An item whose response is gone (deleted, pruned, or replaced by one without it) is not found.
  const selectItem = db.prepare<[string, string], { responseId: string; position: number }>(
    "SELECT i.response_id AS responseId, i.position FROM response_items i JOIN responses r ON r.id = i.response_id AND COALESCE(r.owner, '') = i.owner WHERE i.owner = ? AND i.id = ?",
  );
  const selectOutput = db.prepare<[string], string>('SELECT output FROM responses WHERE id = ?').pluck();
  // A response's items go with it (through their response_id index), when it is deleted or pruned.
  const itemsOf = db.prepare('DELETE FROM response_items WHERE response_id = ?');
  const saveRow = (entry: StoredResponse, at: number) => insert.run(entry.id, at, entry.previousId, JSON.stringify(entry.input), JSON.stringify(entry.output), JSON.stringify(entry.response), entry.owner);
  type Pending = { entry: StoredResponse; at: number; since: number; done: () => void; failed: (error: unknown) => void };
  let pending: Pending[] = [];
  const saveAll = writeTransaction(db, (batch: Pending[]) => {
    for (const { entry, at } of batch) {
      saveRow(entry, at);
      for (const [id, position] of entry.items) insertItem.run(entry.owner ?? '', id, entry.id, position);
    }
  });
  // Another process holding the write lock past the gateway's short wait: the batch is tried again
  // on a timer (its answers wait for it, off the event loop), and given up after LOCKED_OUT_MS.
  let lockedFor = 0;
  let retry: NodeJS.Timeout | undefined;
  const flush = () => {
    if (pending.length === 0 || (retry && lockedFor > 0)) return;
    const batch = pending;
    pending = [];
    try {
      saveAll(batch);
      lockedFor = 0;
    } catch (error) {
      const busy = isBusy(error);
      const waiting: Pending[] = [];
      for (const item of batch) {
        if (busy && Date.now() - item.since < LOCKED_OUT_MS) waiting.push(item);
        else item.failed(error);
      }
      if (waiting.length === 0) return;
      pending = waiting.concat(pending);
      lockedFor = nextPause(lockedFor);
      retry = setTimeout(() => ((retry = undefined), flush()), lockedFor).unref();
      return;
    }
    for (const item of batch) item.done();
  };
  const select = db.prepare<[string, string], { previous_id: string | null; input: string; output: string; response: string }>(
    "SELECT previous_id, input, output, response FROM responses WHERE id = ? AND COALESCE(owner, '') = ?",
  );
  const remove = db.prepare("DELETE FROM responses WHERE id = ? AND COALESCE(owner, '') = ?");
  const removeWithItems = writeTransaction(db, (id: string, owner: string) => {
    const removed = remove.run(id, owner).changes > 0;
    if (removed) itemsOf.run(id);
    return removed;
  });
  const old = db.prepare<[number], string>(`SELECT id FROM responses WHERE created_at < ? LIMIT ${PRUNE_STEP}`).pluck();
  const removeById = db.prepare('DELETE FROM responses WHERE id = ?');
  const removeOld = writeTransaction(db, (ids: string[]) => {
    for (const id of ids) {
      itemsOf.run(id);
      removeById.run(id);
    }
  });
  return {
    save: (entry, at) =>
      new Promise<void>((done, failed) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ entry, at, since: Date.now(), done, failed });
      }),
    get(id, owner) {
      flush();
      const row = select.get(id, owner ?? '');
      return row ? (JSON.parse(row.response) as Record<string, unknown>) : undefined;
    },
    conversation(id, owner) {
      flush();
      const turns: unknown[][] = [];
      let next: string | null = id;
      for (let n = 0; next !== null && n < MAX_TURNS; n++) {
        const row = select.get(next, owner ?? '');
        if (!row) {
          if (n === 0) return undefined;
          break;
        }
        turns.push([...(JSON.parse(row.input) as unknown[]), ...(JSON.parse(row.output) as unknown[])]);
        next = row.previous_id;
      }
      return turns.reverse().flat();
    },
    input(id, owner) {
      flush();
      const row = select.get(id, owner ?? '');
      return row ? (JSON.parse(row.input) as unknown[]) : undefined;
    },
    items(ids, owner) {
      flush();
      const outputs = new Map<string, unknown[]>();
      const found = new Map<string, unknown>();
      for (const id of ids) {
        const row = found.has(id) ? undefined : selectItem.get(owner ?? '', id);
        if (!row) continue;
        let output = outputs.get(row.responseId);
        if (!output) outputs.set(row.responseId, (output = JSON.parse(selectOutput.get(row.responseId) ?? '[]') as unknown[]));
        found.set(id, output[row.position]);
      }
      return found;
    },
    delete: (id, owner) => {
      flush();
      return removeWithItems(id, owner ?? '');
    },
    // A few at a time with requests served between: a turn can hold a long conversation's text.
    async prune(before) {
      flush();
      for (let ids = old.all(before); ids.length > 0 && db.open; ids = old.all(before)) {
        removeOld(ids);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}
