/**
 * The gateway's own code failing inside an attempt (a TypeError translating a body it should have
 * refused) says nothing about the deployment: it must not count against its breaker, or one
 * malformed request sent a few times would open every breaker in turn and refuse everyone.
 * An upstream failure still counts (the control).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Cancellation } from '../../gateway/cancel';
import { envSecrets } from '../../gateway/config/secrets';
import { validateConfig } from '../../gateway/config/validate';
import { GatewayError, UpstreamError } from '../../gateway/errors';
import { createProviderSet } from '../../gateway/providers/registry';
import { createBreakerBoard } from '../../gateway/routing/breaker-board';
import { createCatalog } from '../../gateway/routing/catalog';
import { createRouter } from '../../gateway/routing/router';
import { twoTierConfig } from '../support/harness';

const validated = validateConfig(twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' }));
if (!validated.ok) throw new Error('test config is invalid');
const config = validated.config;
const providers = createProviderSet(config.providers, { secrets: envSecrets({ TEST_KEY: 'sk-test' }) }).adapters;
const catalog = createCatalog(config, providers, 'UTC');
afterAll(() => Promise.all([...providers.values()].map((p) => p.close())));

function routerWithBreakers() {
  const breakers = createBreakerBoard(Date.now);
  breakers.configure(config);
  return { breakers, router: createRouter({ catalog: () => catalog, breakers }) };
}
const request = () => ({ model: 'default', type: 'chat' as const, api: 'openai.chat', signal: new Cancellation() });

describe('an attempt that fails in the gateway’s own code', () => {
  it('leaves every breaker closed, however often it happens: a translation that refuses the request, or a TypeError', async () => {
    const { breakers, router } = routerWithBreakers();
    for (let i = 0; i < 12; i++) {
      await expect(
        router.run(request(), () => {
          throw i % 2 ? new TypeError("Cannot read properties of null (reading 'type')") : new GatewayError('invalid_request', 'an image needs base64 data or a URL');
        }),
      ).rejects.toThrow();
    }
    expect(breakers.get('llama').snapshot(Date.now()).state).toBe('closed');
    expect(breakers.get('mini').snapshot(Date.now()).state).toBe('closed');
  });

  it('unlike an upstream failure, which opens the breaker after its threshold', async () => {
    const { breakers, router } = routerWithBreakers();
    for (let i = 0; i < 12; i++) {
      await expect(
        router.run(request(), () => {
          throw new UpstreamError('upstream_5xx', 'upstream answered 500', { status: 500 });
        }),
      ).rejects.toThrow();
    }
    expect(breakers.get('llama').snapshot(Date.now()).state).toBe('open');
  });
});
