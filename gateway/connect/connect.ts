/**
 * `switchyard connect`: points a tool at this gateway by editing the tool's own config file. The
 * change is planned first (a diff to show), then written atomically; the file as it was is kept
 * (beside it as NAME.switchyard-backup, and byte for byte in the data dir) so `--undo` puts it back
 * exactly, or removes the file when Switchyard created it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { ConnectError, EDITORS, OPEN_KEY, type Target, type ToolId } from './editors';

/** Config files are small; anything bigger is not one, and is not read into memory. */
const MAX_FILE_BYTES = 1024 * 1024;

export interface Places {
  home: string;
  env: Record<string, string | undefined>;
  /** Where Switchyard keeps what it needs to undo (in its data dir). */
  stateDir: string;
}

/** A change to one tool's file, not yet made. */
export interface Plan {
  tool: ToolId;
  file: string;
  /** The file's text now (undefined: there is none). */
  before: string | undefined;
  /** Its text after (undefined: it is removed). */
  after: string | undefined;
  changed: boolean;
  /** A unified diff, with the client key masked. */
  diff: string;
}

interface UndoState {
  file: string;
  /** The file's bytes before Switchyard first wrote it (base64), or null when there was no file. */
  original: string | null;
  /** SHA-256 of what Switchyard last wrote: undo refuses (without force) if the file changed since. */
  written: string;
}

/**
 * Where each tool reads its settings, as the tool itself finds them. A settings file that is a link
 * (a dotfiles repository) is edited where it points, so the link stays a link.
 */
export function configFile(tool: ToolId, places: Pick<Places, 'home' | 'env'>): string {
  const file = settingsPath(tool, places);
  return existsSync(file) ? realpathSync(file) : file;
}

function settingsPath(tool: ToolId, places: Pick<Places, 'home' | 'env'>): string {
  const { home, env } = places;
  if (tool === 'claude-code') return join(env.CLAUDE_CONFIG_DIR || join(home, '.claude'), 'settings.json');
  if (tool === 'codex') return join(env.CODEX_HOME || join(home, '.codex'), 'config.toml');
  const dir = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'opencode');
  return existsSync(join(dir, 'opencode.jsonc')) ? join(dir, 'opencode.jsonc') : join(dir, 'opencode.json');
}

export function readText(file: string): { text: string; bytes: Buffer } | undefined {
  if (!existsSync(file)) return undefined;
  const stat = statSync(file);
  if (!stat.isFile()) throw new ConnectError(`${file} is not a file; it was left untouched.`);
  if (stat.size > MAX_FILE_BYTES) throw new ConnectError(`${file} is over 1 MiB, too big for a settings file; it was left untouched.`);
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw new ConnectError(`${file} is not UTF-8 text; it was left untouched.`);
  return { text, bytes };
}

const statePath = (tool: ToolId, places: Places) => join(places.stateDir, `${tool}.json`);

/** Whether Switchyard has written `tool`'s settings (and can undo that). */
export function isConnected(tool: ToolId, places: Places): boolean {
  return existsSync(statePath(tool, places));
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function mask(text: string, key: string): string {
  // The open key is also the provider's name in some files: masking it would garble those.
  if (key.length < 8 || key === OPEN_KEY) return text;
  return text.split(key).join(`${key.slice(0, 6)}...${key.slice(-4)}`);
}

/**
 * Edits past this many lines are not diffed: the diff's cost grows with the file times the edit, and
 * it runs on the gateway's event loop when the desktop app's button asks. Connect's own edits are a
 * few lines; only an undo over a rewritten file comes near it.
 */
const MAX_DIFF_EDIT = 2_000;

function diffOf(file: string, before: string | undefined, after: string | undefined, key: string): string {
  const patch = createTwoFilesPatch(file, file, before ?? '', after ?? '', before === undefined ? '(no file)' : 'now', after === undefined ? '(removed)' : 'after connect', { context: 3, maxEditLength: MAX_DIFF_EDIT });
  return mask(patch ?? `${file}: the whole file changes (${(before ?? '').split('\n').length} lines now, ${(after ?? '').split('\n').length} after)\n`, key);
}

/** What connecting `tool` to `target` would change; throws ConnectError when the file cannot be edited safely. */
export function planConnect(tool: ToolId, target: Target, places: Places): Plan {
  const file = configFile(tool, places);
  const current = readText(file)?.text;
  const after = EDITORS[tool](current, target, file);
  return { tool, file, before: current, after, changed: after !== current, diff: after === current ? '' : diffOf(file, current, after, target.key) };
}

/** Makes a planned connect, keeping the file as it was before Switchyard first touched it. */
export function applyConnect(plan: Plan, places: Places): { backup: string | undefined } {
  if (!plan.changed || plan.after === undefined) return { backup: undefined };
  const now = readText(plan.file);
  if (now?.text !== plan.before) throw new ConnectError(`${plan.file} changed while the edit was planned; run again.`);
  const stateFile = statePath(plan.tool, places);
  const previous = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as UndoState) : undefined;
  // The first connect's original is what undo restores, however many connects follow.
  const original = previous && previous.file === plan.file ? previous.original : now ? now.bytes.toString('base64') : null;
  const backup = original === null ? undefined : `${plan.file}.switchyard-backup`;
  mkdirSync(places.stateDir, { recursive: true, mode: 0o700 });
  writeAtomic(stateFile, JSON.stringify({ file: plan.file, original, written: sha256(plan.after) } satisfies UndoState), 0o600);
  if (backup && !existsSync(backup)) writeAtomic(backup, Buffer.from(original as string, 'base64'), 0o600);
  writeAtomic(plan.file, plan.after, existsSync(plan.file) ? statSync(plan.file).mode & 0o777 : 0o600);
  return { backup };
}

/** What `--undo` would do: the file back as it was before the first connect, or gone if there was none. */
export function planUndo(tool: ToolId, places: Places, options: { force?: boolean } = {}): Plan {
  const stateFile = statePath(tool, places);
  if (!existsSync(stateFile)) throw new ConnectError(`Switchyard has not changed ${tool}'s settings on this machine (or they were already restored); nothing to undo.`);
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as UndoState;
  const current = readText(state.file);
  if (current && sha256(current.bytes) !== state.written && !options.force) {
    throw new ConnectError(`${state.file} has changed since Switchyard wrote it; undo would lose those changes. Run with --force to restore the earlier file anyway.`);
  }
  const after = state.original === null ? undefined : Buffer.from(state.original, 'base64').toString('utf8');
  return { tool, file: state.file, before: current?.text, after, changed: after !== current?.text, diff: diffOf(state.file, current?.text, after, '') };
}

export function applyUndo(plan: Plan, places: Places): void {
  const stateFile = statePath(plan.tool, places);
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as UndoState;
  if (state.original === null) rmSync(plan.file, { force: true });
  else writeAtomic(plan.file, Buffer.from(state.original, 'base64'), existsSync(plan.file) ? statSync(plan.file).mode & 0o777 : 0o600);
  rmSync(`${plan.file}.switchyard-backup`, { force: true });
  rmSync(stateFile, { force: true });
}

/**
 * Written whole or not at all: a crash mid-write never leaves a tool with half a settings file. The
 * temporary file is always new (a stale one from a crash is removed first), so it gets `mode`.
 */
function writeAtomic(file: string, data: string | Buffer, mode: number): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.switchyard-${process.pid}.tmp`;
  rmSync(temp, { force: true });
  writeFileSync(temp, data, { mode, flag: 'wx' });
  renameSync(temp, file);
}
