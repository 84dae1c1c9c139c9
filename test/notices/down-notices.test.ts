/**
 * "A provider is down" says where its requests go, from the gateway's own config and health report
 * (notices/snapshot.ts): to each route's next deployment, or nowhere, for the routes whose every
 * usable deployment is on it (another provider's disabled deployment is none; in local-only mode a
 * cloud one is none). A gateway with one Ollama and nothing else was told its requests went on.
 */
import { afterEach, expect, it } from 'vitest';
import { createNotifier } from '../../gateway/notices/notifier';
import { readHealthSnapshot } from '../../gateway/notices/snapshot';
import { startGateway, twoTierConfig, type Harness } from '../support/harness';

const urls = { ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' };
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** What the notice says when `local` goes down, on a gateway started with `config`. */
async function localDown(config: unknown): Promise<string[]> {
  h = await startGateway(config);
  const notify = createNotifier();
  const snapshot = readHealthSnapshot(h.gateway);
  const withLocal = (status: string) => ({ ...snapshot, providers: snapshot.providers.map((p) => ({ ...p, status: p.name === 'local' ? status : 'up' })) });
  notify(withLocal('up'));
  return notify(withLocal('down')).map((n) => `${n.title}. ${n.body}`);
}

it('says requests go to the next deployment when every route of the provider has another', async () => {
  expect(await localDown(twoTierConfig(urls))).toEqual(['local is down. Requests go to the next deployment of each route.']);
});

it('says the requests of a route with nothing else fail until the provider is back', async () => {
  const alone = { version: 1, providers: [{ name: 'local', kind: 'ollama', baseUrl: urls.ollama }], deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b' }], routes: [{ name: 'default', deployments: ['llama'] }] };
  expect(await localDown(alone)).toEqual(["local is down. Route default has no other provider's deployment to fall back to: its requests fail until local is back."]);
});

it('names the routes left with nothing, and says the others fall back', async () => {
  const config = twoTierConfig(urls);
  config.deployments.push({ name: 'qwen', provider: 'local', model: 'qwen3:8b', type: 'chat' });
  config.routes.push({ name: 'coder', deployments: ['llama', 'qwen'] });
  expect(await localDown(config)).toEqual(["local is down. Route coder has no other provider's deployment to fall back to: its requests fail until local is back; the other routes go to their next deployment."]);
});

it('counts no disabled deployment as somewhere to go, nor a cloud one in local-only mode', async () => {
  const disabled = twoTierConfig(urls);
  (disabled.deployments[1] as { enabled?: boolean }).enabled = false;
  expect(await localDown(disabled)).toEqual(["local is down. Routes default and cloud-first have no other provider's deployment to fall back to: their requests fail until local is back; the other routes go to their next deployment."]);
  await h?.stop();
  const localOnly = { ...twoTierConfig(urls), settings: { localOnly: true } };
  for (const name of ['a', 'b']) localOnly.routes.push({ name, deployments: ['llama', 'mini'] });
  expect(await localDown(localOnly)).toEqual(["local is down. Routes default, cloud-first, embed and 2 more have no other provider's deployment to fall back to: their requests fail until local is back."]);
});
