/**
 * A gateway whose config a file owns (`serve --config FILE`): the file is applied at each start and
 * reload, over whatever the dashboard, `import` or `restore` changed since. Those changes stay in
 * the history; what replaced them says which revision holds them, and the dashboard says the file
 * owns the config before anyone edits it.
 */
import type { ConfigHistory, ConfigRevision } from '../store/config-store';

/** What a config file applies as: at start, and on a reload (SIGHUP). */
export const FILE_SOURCES = { start: 'serve --config', reload: (file: string) => `reload ${file}` };

/** A first start's config was nobody's change: a file replacing it loses nothing. */
const NOBODYS = /^(?:serve --config$|reload |first start$)/;

/** The newest revision, where something other than a config file made it: what applying the file would replace. */
export function changedSinceFile(history: ConfigHistory): ConfigRevision | undefined {
  const newest = history.list(1)[0];
  return newest && !NOBODYS.test(newest.source) ? newest : undefined;
}

export function replacedNotice(file: string, revision: ConfigRevision): string {
  return `${file} replaced the stored config, changed since a config file was last applied (revision ${revision.id}, "${revision.source}"): "switchyard restore ${revision.id}" applies that one again; put its changes in ${file} to keep them`;
}
