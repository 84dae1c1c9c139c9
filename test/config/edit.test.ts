/** Renames and removals through the admin API's edits: every reference follows, or the edit says what still names the item, so the result still validates. */
import { describe, expect, it } from 'vitest';
import { removeItem, renameRoute, replaceItem } from '../../gateway/config/edit';
import type { Config } from '../../gateway/config/schema';
import { validateConfig } from '../../gateway/config/validate';

const config: Config = {
  version: 1,
  providers: [{ name: 'cloud', kind: 'openai', baseUrl: 'https://api.openai.com/v1' }],
  deployments: [
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    { name: 'big', provider: 'cloud', model: 'gpt-4.1' },
  ],
  routes: [
    { name: 'default', deployments: ['mini', 'big'], rules: [{ when: { hasImages: true }, use: 'vision' }] },
    { name: 'vision', deployments: ['big'] },
  ],
  aliases: { 'gpt-4o*': 'vision', 'small': 'mini' },
  budgets: [
    { name: 'vision-day', scope: { route: 'vision' }, period: 'day', limitUsd: 5 },
    { name: 'cloud-month', scope: { provider: 'cloud' }, period: 'month', limitUsd: 50 },
    { name: 'all', scope: 'global', period: 'month', limitUsd: 100 },
  ],
};

const valid = (next: Config) => {
  const result = validateConfig(next);
  expect(result.ok ? [] : result.errors).toEqual([]);
  return next;
};

describe('renaming in a config', () => {
  it('carries a route\'s new name to the rules that use it, the aliases that name it and the budgets that count it', () => {
    const next = valid(replaceItem(config, 'routes', 'vision', { name: 'images', deployments: ['big'] }));
    expect(next.routes[0]?.rules?.[0]?.use).toBe('images');
    expect(next.aliases).toEqual({ 'gpt-4o*': 'images', small: 'mini' });
    expect(next.budgets?.map((b) => b.scope)).toEqual([{ route: 'images' }, { provider: 'cloud' }, 'global']);
  });

  it('carries a deployment\'s new name to routes and aliases', () => {
    const next = valid(replaceItem(config, 'deployments', 'mini', { name: 'mini-2', provider: 'cloud', model: 'gpt-4.1-mini' }));
    expect(next.routes.map((r) => r.deployments)).toEqual([['mini-2', 'big'], ['big']]);
    expect(next.aliases).toEqual({ 'gpt-4o*': 'vision', small: 'mini-2' });
  });

  it('carries a provider\'s new name to its deployments and the budgets that count it', () => {
    const next = valid(replaceItem(config, 'providers', 'cloud', { name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' }));
    expect(next.deployments.map((d) => d.provider)).toEqual(['openai', 'openai']);
    expect(next.budgets?.[1]?.scope).toEqual({ provider: 'openai' });
  });

  it('carries a deployment\'s new name to the weights of a weighted route, and takes its weight with it when it goes', () => {
    const weighted: Config = { ...config, routes: [...config.routes, { name: 'split', deployments: ['mini', 'big'], strategy: 'weighted', weights: { mini: 3, big: 1 } }] };
    expect(valid(replaceItem(weighted, 'deployments', 'mini', { name: 'mini-2', provider: 'cloud', model: 'gpt-4.1-mini' })).routes[2]?.weights).toEqual({ 'mini-2': 3, big: 1 });
    expect(valid(removeItem(weighted, 'deployments', 'mini')).routes[2]?.weights).toEqual({ big: 1 });
  });

  it('leaves the config it was given as it was', () => {
    const before = structuredClone(config);
    replaceItem(config, 'routes', 'vision', { name: 'images', deployments: ['big'] });
    expect(config).toEqual(before);
  });

  it('refuses to remove a route a rule or a budget still names, saying which; its aliases, other names of it, go with it', () => {
    expect(() => removeItem(config, 'routes', 'vision')).toThrow('Route "vision" is used by the rules of default: change those rules first');
    const unruled: Config = { ...config, routes: [{ name: 'default', deployments: ['mini', 'big'] }, { name: 'vision', deployments: ['big'] }] };
    expect(() => removeItem(unruled, 'routes', 'vision')).toThrow('Route "vision" is what budget vision-day counts: delete or change that budget first');
    const next = valid(removeItem({ ...unruled, budgets: config.budgets?.slice(1) }, 'routes', 'vision'));
    expect(next.aliases).toEqual({ small: 'mini' });
    expect(valid(removeItem(config, 'deployments', 'mini')).aliases).toEqual({ 'gpt-4o*': 'vision' });
  });

  it('renames a route keeping its old name as an alias of it, beside the aliases that followed it', () => {
    const next = valid(renameRoute(config, 'vision', 'eyes', true));
    expect(next.aliases).toEqual({ 'gpt-4o*': 'eyes', small: 'mini', vision: 'eyes' });
    expect(next.routes[0]?.rules?.[0]?.use).toBe('eyes');
    expect(valid(renameRoute(config, 'vision', 'eyes', false)).aliases).toEqual({ 'gpt-4o*': 'eyes', small: 'mini' });
  });
});
