import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPECS } from './support/spec';

const SHARED = join(import.meta.dirname, '..', '..', 'shared', 'specs');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the vendored OpenAPI specs', () => {
  for (const file of ['openai-openapi.yaml', 'ollama-openapi.yaml']) {
    it(`${file} is the unmodified published copy`, () => {
      const listed = readFileSync(join(SPECS, 'SOURCES.md'), 'utf8');
      expect(listed).toContain(`${sha256(join(SPECS, file))}  ${file}`);
      if (existsSync(join(SHARED, file))) expect(sha256(join(SHARED, file))).toBe(sha256(join(SPECS, file)));
    });
  }
});
