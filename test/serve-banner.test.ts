import { describe, expect, it } from 'vitest';
import type { Config } from '../gateway/config/schema';
import { serveBanner } from '../gateway/serve-banner';

const input = (config: Config, keysRequired = false) => ({ version: '0.1.0', url: 'http://127.0.0.1:7788', baseUrl: 'http://127.0.0.1:7788/v1', loginToken: 't', dataDir: '/d', config, keysRequired, otherMachines: [] });
const providers: Config['providers'] = [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }];

describe("serve's banner", () => {
  it('suggests a chat deployment when no route leads to one, and nothing to try when there is none', () => {
    const deployments: Config['deployments'] = [
      { name: 'vectors', provider: 'local', model: 'nomic-embed-text', type: 'embedding' },
      { name: 'qwen', provider: 'local', model: 'qwen3' },
    ];
    const banner = serveBanner(input({ version: 1, providers, deployments, routes: [{ name: 'embed', deployments: ['vectors'] }] }));
    expect(banner).toContain('"model":"qwen"');
    const none = serveBanner(input({ version: 1, providers, deployments: [deployments[0]!], routes: [{ name: 'embed', deployments: ['vectors'] }] }));
    expect(none).not.toContain('Try:');
    expect(none).toContain('No chat route or deployment yet');
  });

  it('shows the key header and how to make a key when keys are required', () => {
    const config: Config = { version: 1, providers, deployments: [{ name: 'qwen', provider: 'local', model: 'qwen3' }], routes: [{ name: 'default', deployments: ['qwen'] }] };
    expect(serveBanner(input(config))).not.toContain('authorization');
    const required = serveBanner(input(config, true));
    expect(required).toContain(`-H 'authorization: Bearer <client key>'`);
    expect(required).toContain('switchyard keys create NAME');
  });
});
