/**
 * `switchyard check FILE` validates a config file and changes nothing; `switchyard import FILE`
 * makes it the stored config (a running gateway on the data dir applies it within 2 s), and says
 * which connected tools ask for a route the file no longer has.
 */
import { counted, type Output } from '../cli-output';
import { openDatabase } from '../store/db';
import { readConfigFile } from './config-file';
import { saveRevision } from './save-revision';
import { formatIssues, validateConfig } from './validate';

export async function importCommand(command: 'import' | 'check', file: string | undefined, dataDir: string, io: Output, env: Record<string, string | undefined>): Promise<number> {
  if (!file) {
    io.err(`switchyard ${command}: name a config file\n`);
    return 2;
  }
  const input = readConfigFile(file, io);
  if (input === undefined) return 1;
  const result = validateConfig(input);
  if (result.warnings.length > 0) io.err(`Warnings:\n${formatIssues(result.warnings)}\n`);
  if (!result.ok) {
    io.err(`${file} is not a valid Switchyard config:\n${formatIssues(result.errors)}\n`);
    return 1;
  }
  if (command === 'check') {
    io.out(`${file} is valid: ${counted(result.config.providers.length, 'provider')}, ${counted(result.config.deployments.length, 'deployment')}, ${counted(result.config.routes.length, 'route')}\n`);
    return 0;
  }
  const db = openDatabase(dataDir);
  try {
    await saveRevision(db, result.config, `import ${file}`, { done: `Imported ${file} into ${dataDir}`, same: `${file} is the config in force in ${dataDir} already` }, io, env);
    return 0;
  } finally {
    db.close();
  }
}
