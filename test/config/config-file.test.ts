/**
 * A config file as a person edits it by hand: comments and a comma after the last item read as
 * tsconfig.json's are, where it stops being JSON said by line and column in words, a Windows
 * editor's byte order mark read past, and a member named __proto__ refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readConfigFile } from '../../gateway/config/config-file';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(text: string): { value: unknown; err: string } {
  const file = join(dir, 'config.json');
  writeFileSync(file, text);
  let err = '';
  const value = readConfigFile(file, { out: () => {}, err: (s: string) => void (err += s) } as never);
  return { value, err: err.replace(`${file} `, '') };
}

it('says where a hand-edited file stops being JSON, and what is there that JSON does not have', () => {
  const cases: [string, string][] = [
    ['{\n  "version": 1\n  "routes": []\n}', 'line 3, column 3: a comma is missing before this'],
    // Past a comment, where it goes wrong is still found and said.
    ['{\n  // the only one\n  "version": 1\n  "routes": []\n}', 'line 4, column 3: a comma is missing before this'],
    ['{\n  "version": 1, /* not closed\n}', 'line 2, column 17: a comment is not closed (its */ is missing)'],
    ["{ 'version': 1 }", 'line 1, column 3: a character JSON does not have here (strings and names take double quotes)'],
    ['{ "version": 1', 'line 1, column 15: a } is missing: an object is not closed'],
    ['  \n', 'the file is empty'],
  ];
  for (const [text, said] of cases) expect(read(text)).toEqual({ value: undefined, err: `is not valid JSON: ${said}\n` });
});

it("reads a file a Windows editor saved with a byte order mark", () => {
  expect(read('\uFEFF{ "version": 1 }')).toEqual({ value: { version: 1 }, err: '' });
});

it('reads comments and a comma after the last item, as a file edited by hand has them', () => {
  const text = '{\n  // local first\n  "version": 1,\n  /* the cloud one, off for now:\n     "routes": ["cloud"] */\n  "routes": [\n    "a",\n  ],\n}\n';
  expect(read(text)).toEqual({ value: { version: 1, routes: ['a'] }, err: '' });
});

it('refuses a member named __proto__ where a comment lets it past JSON.parse', () => {
  const { value, err } = read('{ // a comment\n  "version": 1, "providers": [{ "__proto__": { "apiKey": "env:X" } }] }');
  expect(value).toBeUndefined();
  expect(err).toBe('has a member named "__proto__", which a config never has\n');
});
