/**
 * `switchyard history` lists the applied configs, newest (the one in force) first; `switchyard
 * restore ID` applies one again as a new revision, validated like an import. A running gateway on
 * the data dir picks it up as it does an import; a tool asking for a route it lacks is said, too.
 */
import { localTime, type Output } from '../cli-output';
import { createConfigStore } from '../store/config-store';
import { openDatabase } from '../store/db';
import { saveRevision } from './save-revision';
import { formatIssues, validateConfig } from './validate';

const SHOWN = 50;

export async function historyCommand(command: 'history' | 'restore', id: string | undefined, dataDir: string, io: Output, env: Record<string, string | undefined>): Promise<number> {
  const db = openDatabase(dataDir);
  try {
    const configs = createConfigStore(db);
    if (command === 'history') {
      const revisions = configs.list(SHOWN);
      if (revisions.length === 0) io.out(`No config is stored in ${dataDir} yet.\n`);
      revisions.forEach((r, i) => io.out(`${i === 0 ? '*' : ' '} ${String(r.id).padStart(5)}  ${localTime(new Date(r.createdAt))}  ${r.source}\n`));
      return 0;
    }
    if (!id || !/^[0-9]{1,12}$/.test(id)) {
      io.err('switchyard restore: name a revision by its number (see "switchyard history")\n');
      return 2;
    }
    const config = configs.get(Number(id));
    if (!config) {
      io.err(`There is no config revision ${id} in ${dataDir} (see "switchyard history")\n`);
      return 1;
    }
    const result = validateConfig(config);
    if (!result.ok) {
      io.err(`Revision ${id} is not valid for this Switchyard; nothing was changed:\n${formatIssues(result.errors)}\n`);
      return 1;
    }
    await saveRevision(db, result.config, `restore ${id}`, { done: `Restored revision ${id}`, same: `Revision ${id} is the config in force already` }, io, env);
    return 0;
  } finally {
    db.close();
  }
}
