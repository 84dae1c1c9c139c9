/**
 * `switchyard local-only [on|off]`: says whether local only is on, or switches it, as a new config
 * revision (the same setting as the dashboard's switch and the tray's). A running gateway on the
 * data dir picks it up as it does an import.
 */
import type { Output } from '../cli-output';
import { createConfigStore } from '../store/config-store';
import { openDatabase } from '../store/db';
import { formatIssues, validateConfig } from './validate';

export function localOnlyCommand(choice: string | undefined, dataDir: string, io: Output): number {
  if (choice !== undefined && choice !== 'on' && choice !== 'off') {
    io.err(`switchyard local-only: say "on" or "off" (or nothing, to see which it is), not "${choice}"\n`);
    return 2;
  }
  const db = openDatabase(dataDir);
  try {
    const configs = createConfigStore(db);
    const config = configs.current();
    if (!config) {
      io.err(`No config is stored in ${dataDir} yet; run "switchyard serve" once or import one.\n`);
      return 1;
    }
    const on = config.settings?.localOnly === true;
    if (choice === undefined || (choice === 'on') === on) {
      io.out(`Local only is ${on ? 'on: no request goes to a cloud provider' : 'off'}\n`);
      return 0;
    }
    const result = validateConfig({ ...config, settings: { ...config.settings, localOnly: choice === 'on' } });
    if (!result.ok) {
      io.err(`The stored config is not valid for this Switchyard; nothing was changed:\n${formatIssues(result.errors)}\n`);
      return 1;
    }
    configs.save(result.config, `local only ${choice}`);
    io.out(`Local only is ${choice}; a running gateway on this data dir applies it within 2 s\n`);
    return 0;
  } finally {
    db.close();
  }
}
