/**
 * A model's `details` in Ollama's `/api/tags` and `/api/show`. The list gave a route's family as its
 * deployment's model name (`llama3.2:3b`) where `/api/show` gave the architecture (`llama`), and
 * no size or quantization. Both now give the Ollama's own word on its model once it has been heard
 * (and `/api/show` keeps it while that Ollama is down), and a cloud model's family from the table.
 */
import { Ollama } from 'ollama';
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';
import { assertMatchesSpec } from '../support/spec';

const t = useTwoTier({ ollama: { models: ['llama3.2:3b', 'nomic-embed-text'] } });
const client = () => new Ollama({ host: t.h.url });

const listed = async () => Object.fromEntries((await client().list()).models.map((m) => [m.name, m.details]));

it("lists each model with its Ollama's details once heard, the same /api/show gives, and a cloud model's family", async () => {
  await t.h.gateway.health.probeAll();
  const raw = await fetch(`${t.h.url}/api/tags`).then((r) => r.json());
  assertMatchesSpec('ollama', 'ListResponse', raw);
  const details = await listed();
  expect(details.llama).toEqual({ parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' });
  expect(details['local-embed']).toMatchObject({ family: 'nomic-bert', families: ['nomic-bert'] });
  // A route is listed as the deployment that answers for it (an Ollama's first).
  expect(details.default).toEqual(details.llama);
  expect(details.mini).toEqual({ parent_model: '', format: 'api', family: 'gpt', families: ['gpt'], parameter_size: '', quantization_level: '' });
  expect(details['cloud-first']).toEqual(details.llama);
  for (const name of ['llama', 'default', 'mini', 'local-embed']) expect((await client().show({ model: name })).details).toEqual(details[name]);
});

it("keeps the Ollama's details in /api/show while it is down", async () => {
  await t.h.gateway.health.probeAll();
  const before = (await client().show({ model: 'llama' })).details;
  await t.ollama.setMode({ kind: 'refuse' });
  try {
    await t.h.gateway.health.probeAll();
    expect(t.h.gateway.health.latest('local')?.ok).toBe(false);
    expect((await client().show({ model: 'llama' })).details).toEqual(before);
    expect((await listed()).llama).toEqual(before);
  } finally {
    await t.ollama.setMode({ kind: 'healthy' });
  }
});
