/**
 * A cached embedding is of the model that made it. On a route whose deployments run different
 * models, the vectors another model made while the first was down were cached under the route and
 * served after it came back: an index built from then on mixed two models' vectors, which compare
 * as nonsense. Now a cached embedding is served only while its model is the one that would be
 * asked: the other model's while the first is kept out (its breaker open), not once it may answer.
 */
import { expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({
  config: (t) => {
    const config = t.configWith();
    // One failure opens a breaker, so the second request while a deployment is down finds it kept out.
    const deployments = config.deployments.map((d) => (d.type === 'embedding' ? { ...d, breaker: { failures: 1 } } : d));
    return { ...config, deployments, routes: [...config.routes, { name: 'cloud-embed-first', deployments: ['cloud-embed', 'local-embed'] }] };
  },
});

const embed = async (model: string) => {
  const res = await fetch(`${t.h.baseUrl}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, input: 'the same text' }) });
  const body = await res.json();
  return { deployment: res.headers.get('x-switchyard-deployment'), cache: res.headers.get('x-switchyard-cache'), vector: body.data[0].embedding as number[] };
};

for (const [route, first, second, upstream] of [
  ['embed', 'local-embed', 'cloud-embed', () => t.ollama],
  ['cloud-embed-first', 'cloud-embed', 'local-embed', () => t.openai],
] as const) {
  it(`serves ${second}'s vectors from the cache while ${first} is down, and ${first}'s again once it is back`, async () => {
    const server: FakeServer = upstream();
    await server.setMode({ kind: 'refuse' });
    await t.h.gateway.health.probeAll();
    const whileDown = await embed(route);
    expect(whileDown).toMatchObject({ deployment: second, cache: 'miss' });
    expect(await embed(route)).toMatchObject({ deployment: second, cache: 'hit' });

    // Back, and its breaker closed (as its cooldown would let a request try it).
    await server.setMode({ kind: 'healthy' });
    await t.h.admin(`/admin/api/breakers/${first}/reset`, { method: 'POST' });
    const back = await embed(route);
    expect(back).toMatchObject({ deployment: first, cache: 'miss' });
    expect(back.vector).not.toEqual(whileDown.vector);
    expect(await embed(route)).toMatchObject({ deployment: first, cache: 'hit', vector: back.vector });
  });
}
