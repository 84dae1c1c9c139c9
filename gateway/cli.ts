/**
 * The headless CLI: `switchyard serve|status|doctor|load|unload|pull|export|import|check|backup|
 * history|restore|usage|keys|login-link|local-only|connect|notices`. Argument parsing and printing only;
 * everything else is the stores and the command modules (serve-command runs createGateway).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stdio, type Output } from './cli-output';
import { historyCommand } from './config/history-command';
import { importCommand } from './config/import-command';
import { backupCommand } from './store/backup-command';
import { localOnlyCommand } from './config/local-only-command';
import { keysCommand } from './keys-command';
import { loginLinkCommand } from './login-link-command';
import { statusCommand } from './status-command';
import { holdYoungGeneration } from './heap';
import { createConfigStore } from './store/config-store';
import { UnusablePortError } from './store/gateway-address';
import { usageCommand } from './usage/command';
import { DB_FILE, openDatabase } from './store/db';
import { defaultDataDir, isPort } from './paths';
import { dataDirProblem } from './cli-problems';
import { nearest } from './config/nearest';
import { extraWords, strayOptions, unknownOption, USAGE } from './cli-usage';
import { VERSION } from './version';

export interface CliOptions {
  /** The built UI to serve (the entry knows where the bundle put it). */
  uiDir?: string;
  /** The environment `connect` finds the tools' config files by (HOME, XDG_CONFIG_HOME, CODEX_HOME). */
  env?: Record<string, string | undefined>;
}

export async function main(
  argv: string[],
  io: Output = stdio,
  options: CliOptions = {},
): Promise<number> {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        format: { type: 'string' },
        since: { type: 'string' },
        session: { type: 'string' },
        tool: { type: 'string' },
        days: { type: 'string' },
        by: { type: 'string' },
        lines: { type: 'string', short: 'n' },
        follow: { type: 'boolean', short: 'f' },
        rpm: { type: 'string' },
        routes: { type: 'string' },
        route: { type: 'string' },
        key: { type: 'string' },
        'dry-run': { type: 'boolean' },
        undo: { type: 'boolean' },
        force: { type: 'boolean' },
        missing: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    // An unknown option, or one without its value: say which, and how the commands are written.
    if (!(error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) throw error;
    const message = (error as Error).message;
    const unknown = /^Unknown option '(-[^']*)'/.exec(message)?.[1];
    const firstWord = rest[0]?.startsWith('-') ? undefined : rest[0];
    io.err(`${(unknown && unknownOption(command, firstWord, unknown)) || optionProblem(message, rest)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const extra = extraWords(command, positionals) ?? strayOptions(command, positionals, values);
  if (extra) {
    io.err(`${extra}\n\n${USAGE}`);
    return 2;
  }
  if (values.version || command === '--version' || command === '-v' || command === 'version') {
    // What every CLI answers, anywhere on the line, and nothing else (`serve --version` starts no gateway).
    io.out(`switchyard ${VERSION}\n`);
    return 0;
  }
  if (values.help) {
    // `serve --help` asks how serve is written; it must not start a gateway.
    io.out(USAGE);
    return 0;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  if (values.port !== undefined && !isPort(values.port)) {
    io.err(`Invalid port "${values.port}": give a number from 0 to 65535\n`);
    return 2;
  }

  // A command that only reads what is there (or changes it) creates no data dir: a mistyped
  // --data-dir gets told, not a new empty database.
  const reads = ['export', 'backup', 'doctor', 'history', 'restore', 'usage', 'local-only', 'status', 'load', 'unload', 'pull', 'login-link'].includes(command ?? '') || (command === 'keys' && positionals[0] !== 'create') || (command === 'connect' && positionals[0] === undefined);
  if (reads && !existsSync(join(dataDir, DB_FILE))) {
    io.err(`There is no Switchyard data in ${dataDir} (no ${DB_FILE}): is --data-dir right? "switchyard serve" creates it.\n`);
    return 1;
  }

  try {
    switch (command) {
      case 'serve': {
        // Loaded here, as are the model commands: the other commands need no HTTP server or upstream client.
        // Before its chunk loads: loading it alone grew the young generation to 8 MiB (heap.ts).
        holdYoungGeneration();
        const { serveCommand } = await import('./serve-command');
        return await serveCommand({ host: values.host, port: values.port, dataDir, configFile: values.config, uiDir: options.uiDir }, io);
      }
      case 'export': {
        const db = openDatabase(dataDir);
        const config = createConfigStore(db).current();
        db.close();
        if (!config) {
          io.err(`No config is stored in ${dataDir} yet; run "switchyard serve" once or import one.\n`);
          return 1;
        }
        io.out(`${JSON.stringify(config, null, 2)}\n`);
        return 0;
      }
      case 'import':
      case 'check':
        return await importCommand(command, positionals[0], dataDir, io, options.env ?? process.env);
      case 'backup':
        return backupCommand(positionals[0], dataDir, io);
      case 'history':
      case 'restore':
        return await historyCommand(command, positionals[0], dataDir, io, options.env ?? process.env);
      case 'usage':
        return await usageCommand(positionals, values, dataDir, io);
      case 'local-only':
        return localOnlyCommand(positionals[0], dataDir, io);
      case 'login-link':
        return loginLinkCommand(dataDir, values.port, options.env ?? process.env, io);
      case 'keys':
        return await keysCommand(positionals, values, dataDir, io);
      case 'status':
        return await statusCommand(dataDir, values, io, options.env ?? process.env);
      case 'load':
      case 'unload':
      case 'pull': {
        const { modelCommand } = await import('./model-commands');
        return await modelCommand(command, positionals[0], dataDir, io, options.env ?? process.env, values.missing === true);
      }
      case 'doctor': {
        const { doctorCommand } = await import('./doctor-command');
        return await doctorCommand(dataDir, io, options.env ?? process.env, values.key);
      }
      case 'notices': {
        const { noticesCommand } = await import('./notices/command');
        return await noticesCommand(positionals[0], dataDir, io, options.env ?? process.env);
      }
      case 'connect': {
        // Loaded here: only this command needs the config-file editors and their parsers.
        const { connectCommand } = await import('./connect/command');
        return await connectCommand(positionals[0], values, dataDir, io, options.env ?? process.env);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        // `switchyard --data-dir X` left the command out; it is not a command named "--data-dir".
        io.err(`${command?.startsWith('-') ? `Name a command before ${command}.` : `Unknown command "${command}"${didYouMean(command ?? '')}`}\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UnusablePortError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    // A data dir that is a file, unwritable or full: say so, not a stack trace (awaited above, so a
    // command's rejection lands here too).
    const problem = dataDirProblem(error, dataDir);
    if (!problem) throw error;
    io.err(`${problem}\n`);
    return 1;
  }
}

/**
 * Node's words for an option it could not read, made short: an option without its value is said so
 * (Node calls one followed by another option "ambiguous", over three lines), one followed by a
 * negative number is shown how to write it, the rest by their first sentence.
 */
function optionProblem(message: string, args: readonly string[]): string {
  const option = /'(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1];
  const next = option ? args[args.indexOf(option) + 1] : undefined;
  if (option && next && /is ambiguous/.test(message) && /^-[\d.]/.test(next)) return `${option} ${next}: a value that starts with a dash is written ${option}=${next}`;
  if (option && /argument missing|is ambiguous/.test(message)) return `${option} needs a value: ${option} VALUE`;
  if (option && /does not take an argument/.test(message)) return `${option} takes no value`;
  return `${message.split(/\.\s/)[0]?.replace(/\.$/, '')}.`;
}

/** `: did you mean "serve"?` for a command one or two letters off one the usage lists, else a full stop. */
function didYouMean(typed: string): string {
  const meant = nearest(typed, new Set([...USAGE.matchAll(/^\s+switchyard ([a-z][a-z-]*)/gm)].map((match) => match[1] as string)));
  return meant ? `: did you mean "${meant}"?` : '.';
}
