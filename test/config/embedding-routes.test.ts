/**
 * A route of embedding models that falls back from one model to another hands the client vectors of
 * another space (often of another length): an index built with the first, searched with the second,
 * finds nothing that belongs together, or refuses the vectors. The config says so when it is saved.
 */
import { expect, it } from 'vitest';
import { validateConfig } from '../../gateway/config/validate';

const config = (deployments: Array<{ name: string; provider: string; model: string }>, route: string[]) => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' },
    { name: 'desk', kind: 'ollama', baseUrl: 'http://127.0.0.1:11435' },
    { name: 'cloud', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'env:OPENAI_API_KEY' },
  ],
  deployments: deployments.map((d) => ({ ...d, type: 'embedding' })),
  routes: [{ name: 'embed', deployments: route }],
});

const warningsOf = (value: unknown) => {
  const result = validateConfig(value);
  expect(result.ok).toBe(true);
  return result.warnings;
};

it('warns, but accepts, an embedding route whose fallback answers in another model', () => {
  const mixed = config(
    [
      { name: 'local-embed', provider: 'local', model: 'nomic-embed-text' },
      { name: 'cloud-embed', provider: 'cloud', model: 'text-embedding-3-small' },
    ],
    ['local-embed', 'cloud-embed'],
  );
  expect(warningsOf(mixed)).toEqual([
    {
      path: 'routes[0].deployments',
      message:
        'route "embed" falls back from one embedding model to another (nomic-embed-text, text-embedding-3-small): their vectors do not mix, so an index built with one is searched in vain with the other. Give each model a route of its own, unless they are one model under two names',
    },
  ]);
});

it('says nothing of a route that runs one model in two places, whatever the tag or capitals', () => {
  const same = config(
    [
      { name: 'local-embed', provider: 'local', model: 'nomic-embed-text' },
      { name: 'desk-embed', provider: 'desk', model: 'Nomic-Embed-Text:latest' },
    ],
    ['local-embed', 'desk-embed'],
  );
  expect(warningsOf(same)).toEqual([]);
});
