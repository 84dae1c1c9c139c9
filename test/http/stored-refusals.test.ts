/**
 * A config an earlier version stored that this one's validation refuses (an endpoint's address
 * pasted as a base URL, refused since): the gateway runs it as it is, says so at start, and a
 * change elsewhere is refused naming the stored problem as the stored config's, not the change's,
 * until the problem is mended.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../gateway/config/schema';
import { openDatabase } from '../../gateway/store/db';
import { createConfigStore } from '../../gateway/store/config-store';
import { startFakeOpenAI } from '../support/fake-openai';
import type { FakeServer } from '../support/fake-server';
import { startGateway, stopAll, tempDir, type Harness } from '../support/harness';

const data = tempDir();
let fake: FakeServer, h: Harness;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  const db = openDatabase(data.path);
  const stored = { version: 1, providers: [{ name: 'cloud', kind: 'openai', baseUrl: `${fake.url}/v1/chat/completions`, apiKey: 'env:TEST_KEY' }], deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }], routes: [{ name: 'default', deployments: ['mini'] }] };
  createConfigStore(db).save(stored as Config, 'an earlier version');
  db.close();
  h = await startGateway(undefined, { dataDir: data.path });
});
afterAll(async () => {
  await stopAll(h, fake);
  data.remove();
});

const addRoute = (deployments: string[]) => h.admin('/admin/api/routes', { method: 'POST', body: JSON.stringify({ name: 'second', deployments }) });

it('runs the stored config as it is and says at start what this version refuses in it', () => {
  expect(h.gateway.notices).toContain(
    `the stored config has what this version refuses (providers[0].baseUrl: "${fake.url}/v1/chat/completions" ends in "/chat/completions", which each request adds to the base URL itself: did you mean "${fake.url}/v1"?): it runs as it is, but no change to it can be saved until that is mended`,
  );
});

it('refuses a change elsewhere naming the stored problem as the stored config’s, and the change’s own problem first', async () => {
  const refused = await addRoute(['mini']);
  expect(refused.status).toBe(400);
  expect((await refused.json()).error.message).toBe(
    `No change can be saved until the stored config is mended: it has what this version refuses (an earlier one saved it): providers[0].baseUrl "${fake.url}/v1/chat/completions" ends in "/chat/completions", which each request adds to the base URL itself: did you mean "${fake.url}/v1"?`,
  );
  const own = await (await addRoute(['nope'])).json();
  expect(own.error.message).toMatch(/^The change is invalid: routes\[1\]\.deployments\[0\] /);
  expect(own.errors.map((e: { path: string }) => e.path)).toContain('providers[0].baseUrl');
});

it('saves changes again once the stored problem is mended', async () => {
  const mended = await h.admin('/admin/api/providers/cloud', { method: 'PATCH', body: JSON.stringify({ baseUrl: `${fake.url}/v1` }) });
  expect(mended.status).toBe(200);
  expect((await addRoute(['mini'])).status).toBe(201);
  expect((await h.openai.chat.completions.create({ model: 'second', messages: [{ role: 'user', content: 'hi' }] })).choices[0]?.message.content).toBe('Echo: hi');
});
