/**
 * An admin body that is not an object at all: its one error is the body's, placed at the item it
 * would have been (for a config list's route) or nowhere, never a path that ends in a dot or an
 * empty `param`; and nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const config = () => twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url });
const t = useTwoTier({ config: () => config() });

describe('an admin body that is not an object', () => {
  it.each([
    ['POST', '/admin/api/deployments', 0, 'deployments[4]'],
    ['PUT', '/admin/api/deployments/mini', '"x"', 'deployments[1]'],
    ['POST', '/admin/api/routes', '[]', 'routes[3]'],
    ['PUT', '/admin/api/routes/default', 'null', 'routes[0]'],
  ])('%s %s with %s is the item\'s error at its place in the config', async (method, path, body, at) => {
    const res = await t.h.admin(path, { method, body: String(body), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.errors).toEqual([{ path: at, field: null, message: expect.stringMatching(/^must be object \(got .+\)$/) }]);
    expect(answer.error).toMatchObject({ param: at, code: 'invalid_config', message: expect.stringMatching(/^Invalid request body: request body must be object/) });
    expect(t.h.gateway.config()).toEqual(expect.objectContaining({ deployments: config().deployments, routes: config().routes }));
  });

  it.each([
    ['POST', '/admin/api/routes/default/rename', 'null'],
    ['PUT', '/admin/api/aliases/claude-*', '"default"'],
    ['POST', '/admin/api/keys', '7'],
  ])('%s %s with %s is the body\'s error, with no param', async (method, path, body) => {
    const res = await t.h.admin(path, { method, body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.errors).toEqual([{ path: '', field: null, message: expect.stringMatching(/^must be object \(got .+\)$/) }]);
    expect(answer.error.param).toBeNull();
    expect(answer.error.message).toMatch(/^Invalid request body: request body must be object/);
  });
});
