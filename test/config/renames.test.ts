/** What a config change renamed: found the same whichever path made it, and only where the pairing is certain. */
import { expect, it } from 'vitest';
import { renamesOf, renamesSaid } from '../../gateway/config/renames';
import type { Config } from '../../gateway/config/schema';

const config = (parts: Partial<Config>): Config =>
  ({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' },
      { name: 'work', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'env:WORK_KEY' },
    ],
    deployments: [
      { name: 'llama', provider: 'local', model: 'llama3.2' },
      { name: 'mini', provider: 'work', model: 'gpt-4.1-mini' },
    ],
    routes: [{ name: 'default', deployments: ['llama', 'mini'], weights: { llama: 3, mini: 1 }, strategy: 'weighted' }],
    ...parts,
  }) as Config;

it('finds a provider, a deployment and the route that names it renamed in one change', () => {
  const before = config({});
  const after = config({
    providers: [before.providers[0]!, { ...before.providers[1]!, name: 'openai' }],
    deployments: [{ name: 'local-llama', provider: 'local', model: 'llama3.2' }, { name: 'mini', provider: 'openai', model: 'gpt-4.1-mini' }],
    routes: [{ name: 'main', deployments: ['local-llama', 'mini'], weights: { 'local-llama': 3, mini: 1 }, strategy: 'weighted' }],
  });
  expect(renamesOf(before, after)).toEqual([
    { kind: 'provider', from: 'work', to: 'openai' },
    { kind: 'deployment', from: 'llama', to: 'local-llama' },
    { kind: 'route', from: 'default', to: 'main' },
  ]);
});

it('pairs nothing uncertain: a provider with another key, a route changed as well, two alike', () => {
  const before = config({ routes: [{ name: 'a', deployments: ['mini'] }, { name: 'b', deployments: ['mini'] }, { name: 'default', deployments: ['llama'] }] });
  const after = config({
    providers: [before.providers[0]!, { ...before.providers[1]!, name: 'personal', apiKey: 'env:MY_KEY' }],
    deployments: [before.deployments[0]!, { ...before.deployments[1]!, provider: 'personal' }],
    routes: [{ name: 'c', deployments: ['mini'] }, { name: 'main', deployments: ['llama'], strategy: 'lowest-latency' }],
  });
  expect(renamesOf(before, after)).toEqual([]);
  // What the change's maker says it renamed stands.
  expect(renamesOf(before, after, new Map([['default', 'main']]))).toEqual([{ kind: 'route', from: 'default', to: 'main' }]);
});

it('says the renames in words that fit one or several', () => {
  const before = config({});
  const route = config({ routes: [{ ...before.routes[0]!, name: 'main' }] });
  expect(renamesSaid(before, route)).toBe('Renamed route default to main: client keys limited to it, its budgets and its probe history go on under the new name');
  const both = config({ providers: [before.providers[0]!, { ...before.providers[1]!, name: 'openai' }], deployments: [before.deployments[0]!, { ...before.deployments[1]!, provider: 'openai' }], routes: route.routes });
  expect(renamesSaid(before, both)).toBe('Renamed provider work to openai, route default to main: client keys limited to them, their budgets and their probe history go on under the new names');
  expect(renamesSaid(before, before)).toBeUndefined();
});
