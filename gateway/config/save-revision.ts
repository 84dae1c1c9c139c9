/**
 * The end of `import` and `restore`: a checked config saved as the data dir's newest revision, and
 * what follows from it said (routes renamed, connected tools that ask for a route it lacks).
 */
import type { Output } from '../cli-output';
import { noteLostTools } from '../connect/lost-tools';
import { createConfigStore } from '../store/config-store';
import type { Db } from '../store/db';
import { renamesSaid } from './renames';
import type { Config } from './schema';

/**
 * `source`: the revision's label in `switchyard history`; `said.done`: what the command did, said
 * first; `said.same`: what it is, when it is the config in force (no revision is made of it).
 */
export async function saveRevision(db: Db, config: Config, source: string, said: { done: string; same: string }, io: Output, env: Record<string, string | undefined>): Promise<void> {
  const configs = createConfigStore(db);
  const before = configs.current();
  if (!configs.save(config, source)) return void io.out(`${said.same}: nothing changed\n`);
  io.out(`${said.done}; a running gateway on this data dir applies it within 2 s\n`);
  const renamed = renamesSaid(before, config);
  if (renamed) io.out(`${renamed}\n`);
  await noteLostTools(db, config, io, env);
}
