/**
 * The house's two import rules (STYLE.md): the gateway never imports Electron, and the renderer
 * takes gateway code as types only (it reaches the gateway over the admin API, nothing else).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => join(dir, f));
}

/** Every import or re-export statement, with what it names and where from. */
function imports(file: string): { statement: string; from: string }[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms)].map((m) => ({ statement: m[0], from: m[1] as string }));
}

describe('import boundaries', () => {
  it('the gateway never imports Electron', () => {
    const offenders = sources('gateway').flatMap((file) => imports(file).filter((i) => i.from === 'electron' || i.from.startsWith('electron/')).map(() => file));
    expect(offenders).toEqual([]);
  });

  it('the renderer takes gateway code as types only', () => {
    const files = sources('renderer/src');
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((file) =>
      imports(file)
        .filter((i) => /(^|\/)gateway\//.test(i.from) && !/^(import|export)\s+type\s/.test(i.statement))
        .map((i) => `${file}: ${i.statement.split('\n')[0]}`),
    );
    expect(offenders).toEqual([]);
  });
});
