/** How the CLI's commands are written: the usage text, and the words and options each takes after its name. */
import { nearest } from './config/nearest';
import { DEFAULT_PORT } from './paths';
import { VERSION } from './version';

export const USAGE = `Switchyard ${VERSION}: one localhost endpoint for local and cloud models

Usage:
  switchyard serve [--host H] [--port P] [--data-dir DIR] [--config FILE]
  switchyard status [--data-dir DIR] [--format text|json] [--key KEY]
                                                whether a gateway serves the data dir, where, and its health
  switchyard doctor [--data-dir DIR] [--key KEY]
                                                check what requests need now: providers, keys, models, routes, tools
  switchyard load DEPLOYMENT [--data-dir DIR]   put an Ollama deployment's model in memory now
  switchyard unload DEPLOYMENT [--data-dir DIR] free its memory (once its requests finish)
  switchyard pull DEPLOYMENT|--missing [--data-dir DIR]
                                                download its model to its Ollama (--missing: every one it lacks)
  switchyard export [--data-dir DIR]            print the stored config as JSON
  switchyard import FILE [--data-dir DIR]       validate FILE and make it the stored config
  switchyard backup FILE [--data-dir DIR]       copy the whole database to a new file (gateway running or not)
  switchyard check FILE                         validate FILE, change nothing
  switchyard history [--data-dir DIR]           list the applied configs, newest first
  switchyard restore ID [--data-dir DIR]        apply an earlier config again
  switchyard local-only [on|off] [--data-dir DIR]
                                                say whether only local providers answer, or switch it
  switchyard login-link [--data-dir DIR] [--port P]
                                                print a new dashboard login link
  switchyard usage export [--data-dir DIR] [--format csv|json] [--since DATE|TIME] [--session ID] [--tool NAME]
                                                write the usage log (or one session's, one tool's rows) to stdout
  switchyard usage show REQUEST_ID [--data-dir DIR] [--format text|json]
                                                one request whole: how it was routed, its kept prompt and answer
  switchyard usage summary [--data-dir DIR] [--days N] [--by deployment|route|provider|key|tool] [--tool NAME] [--format table|json]
                                                what the last N days (7) cost and saved, per deployment
  switchyard usage tail [--lines N] [--follow] [--format text|json] [--route NAME] [--session ID] [--tool NAME] [--data-dir DIR]
                                                the last N requests (10), a line each; -f: then each new one
  switchyard keys create NAME [--rpm N] [--routes a,b] [--data-dir DIR]
                                                make a client key (shown once)
  switchyard keys list [--data-dir DIR]         list client keys (names and prefixes)
  switchyard keys revoke NAME [--data-dir DIR]  revoke a client key
  switchyard connect [claude-code|codex|opencode] [--route NAME] [--key KEY] [--dry-run] [--undo [--force]] [--port P] [--data-dir DIR]
                                                point a tool at this gateway in its own config file
                                                (a backup is kept; --undo restores it exactly); with
                                                no tool, list every tool's settings to copy

  switchyard notices test [--data-dir DIR]      post a test notice where serve posts them: the
                                                settings' webhook, else SWITCHYARD_WEBHOOK_URL

  switchyard --version                          print the version (--help after any command: this text)

Environment: SWITCHYARD_PORT (default ${DEFAULT_PORT}), SWITCHYARD_HOME (data dir), SWITCHYARD_WEBHOOK_URL (serve's notices), OLLAMA_HOST, OPENAI_API_KEY, ANTHROPIC_API_KEY.
`;

/**
 * The words each command takes after its name (a file, a key's name, a revision, a tool). More is a
 * mistake, said rather than ignored: `keys create my editor` made a key named "my".
 */
const MOST_WORDS: Record<string, number> = { serve: 0, status: 0, load: 1, unload: 1, pull: 1, export: 0, import: 1, check: 1, history: 0, restore: 1, usage: 1, 'usage show': 2, 'local-only': 1, 'login-link': 0, keys: 2, connect: 1, backup: 1, doctor: 0, notices: 1 };

/** What is wrong with the words after a command's name, if there are more than it takes. */
export function extraWords(command: string | undefined, positionals: readonly string[]): string | undefined {
  const most = MOST_WORDS[`${command} ${positionals[0]}`] ?? MOST_WORDS[command ?? ''];
  if (most === undefined || positionals.length <= most) return undefined;
  const takes = most === 0 ? 'no words' : `at most ${most} word${most > 1 ? 's' : ''}`;
  return `switchyard ${command} takes ${takes} after its name, not also ${positionals.slice(most).map((w) => `"${w}"`).join(' ')} (a name with a space in it needs quotes).`;
}

/**
 * The options each command reads (`keys create` and `usage`'s two apart from the others). Another is a
 * mistake, said rather than ignored: `usage export --route x` would otherwise export every route's
 * rows as though filtered, and `check --data-dir` would seem to check against that data.
 */
const OPTIONS: Record<string, readonly string[]> = {
  serve: ['host', 'port', 'data-dir', 'config'],
  status: ['data-dir', 'format', 'key'],
  load: ['data-dir'],
  unload: ['data-dir'],
  pull: ['data-dir', 'missing'],
  export: ['data-dir'],
  import: ['data-dir'],
  backup: ['data-dir'],
  doctor: ['data-dir', 'key'],
  notices: ['data-dir'],
  check: [],
  history: ['data-dir'],
  restore: ['data-dir'],
  'local-only': ['data-dir'],
  'login-link': ['data-dir', 'port'],
  usage: ['data-dir'],
  'usage export': ['data-dir', 'format', 'since', 'session', 'tool'],
  'usage summary': ['data-dir', 'format', 'days', 'by', 'tool'],
  'usage tail': ['data-dir', 'format', 'lines', 'follow', 'route', 'session', 'tool'],
  'usage show': ['data-dir', 'format'],
  keys: ['data-dir'],
  'keys create': ['data-dir', 'rpm', 'routes'],
  connect: ['route', 'key', 'dry-run', 'undo', 'force', 'port', 'data-dir'],
};

/** The options a command reads and the name it goes by (`usage tail`), or nothing for an unknown command. */
function readsOf(command: string | undefined, firstWord: string | undefined): { name: string; reads: readonly string[] } | undefined {
  const sub = `${command} ${firstWord}`;
  const name = sub in OPTIONS ? sub : command ?? '';
  const reads = OPTIONS[name];
  return reads && { name, reads };
}

const takesWords = (reads: readonly string[]) => (reads.length === 0 ? 'no options' : `only ${reads.map((o) => `--${o}`).join(', ')}`);

/** What is wrong with the options given to a command, if it does not read one of them. */
export function strayOptions(command: string | undefined, positionals: readonly string[], given: Record<string, unknown>): string | undefined {
  const of = readsOf(command, positionals[0]);
  if (!of) return undefined;
  const stray = Object.keys(given).filter((option) => option !== 'help' && option !== 'version' && !of.reads.includes(option));
  if (stray.length === 0) return undefined;
  return `switchyard ${of.name} does not read ${stray.map((o) => `--${o}`).join(', ')}: it takes ${takesWords(of.reads)}.`;
}

/** An option no command reads (`usage tail --limit`): the one of the command's it was a letter or two off, and what it takes. */
export function unknownOption(command: string | undefined, firstWord: string | undefined, option: string): string | undefined {
  const of = readsOf(command, firstWord);
  if (!of) return undefined;
  const meant = nearest(option.replace(/^--?/, ''), of.reads);
  return `Unknown option ${option}${meant ? ` (did you mean --${meant}?)` : ''}: switchyard ${of.name} takes ${takesWords(of.reads)}.`;
}
