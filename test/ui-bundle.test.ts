/**
 * The UI as the window and a browser load it: the build's scripts and styles minified, with no
 * comments or layout to download and parse at every load, and each beside its gzip for a browser
 * that takes it (`npm test` builds before it runs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const built = join(import.meta.dirname, '..', 'out', 'renderer');

/** The files index.html loads. */
function loaded(): string[] {
  const html = readFileSync(join(built, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="\.?\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
}

describe('the built UI', () => {
  it('loads minified scripts and styles', () => {
    const files = loaded();
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    for (const file of files) {
      // Laid out a statement to a line, it averages about 40 characters a line; minified, thousands
      // (its few line breaks are those inside the UI's own multi-line strings).
      const text = readFileSync(join(built, file), 'utf8');
      const perLine = text.length / text.split('\n').length;
      expect(perLine, `${file}: ${Math.round(perLine)} characters a line`).toBeGreaterThan(1000);
    }
  });

  it('has each script and style beside its gzip, the same bytes once unzipped', () => {
    for (const file of loaded()) {
      const zipped = readFileSync(join(built, `${file}.gz`));
      expect(gunzipSync(zipped).equals(readFileSync(join(built, file))), file).toBe(true);
    }
  });
});
