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

  it("names each front door's base URL, Claude Code's (the origin, no /v1) too, with the addresses in one column", () => {
    const config: Config = { version: 1, providers, deployments: [{ name: 'qwen', provider: 'local', model: 'qwen3' }], routes: [{ name: 'default', deployments: ['qwen'] }] };
    const banner = serveBanner({ ...input(config), otherMachines: ['http://192.168.1.20:7788'], webhookHost: 'hooks.slack.com' });
    expect(banner).toContain("\n  Anthropic base URL: http://127.0.0.1:7788   (Claude Code's ANTHROPIC_BASE_URL: no /v1)\n");
    const labelled = banner.split('\n').filter((l) => /^ {2}[A-Z][A-Za-z ]+: /.test(l));
    expect(labelled.map((l) => l.split(': ')[0]!.trim())).toEqual(['OpenAI base URL', 'Anthropic base URL', 'Ollama base URL', 'Health', 'Metrics', 'Dashboard', 'Other machines', 'Data dir', 'Notices', 'Routes']);
    // Each address starts where the others do.
    expect(new Set(labelled.map((l) => l.search(/(?<=: +)\S/)))).toEqual(new Set([22]));
  });

  it('shows the key header and how to make a key when keys are required', () => {
    const config: Config = { version: 1, providers, deployments: [{ name: 'qwen', provider: 'local', model: 'qwen3' }], routes: [{ name: 'default', deployments: ['qwen'] }] };
    expect(serveBanner(input(config))).not.toContain('authorization');
    const required = serveBanner(input(config, true));
    expect(required).toContain(`-H 'authorization: Bearer <client key>'`);
    expect(required).toContain('switchyard keys create NAME');
  });
});
