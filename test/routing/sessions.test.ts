/** The sticky sessions' memory: bounded (the least recently answered goes first), forgetful past the idle time or when told, saved by what changed, and carried through a deployment's rename. */
import { expect, it } from 'vitest';
import { renamedDeployments } from '../../gateway/config/renames';
import { createSessionMemory, sessionKey } from '../../gateway/routing/sessions';

const key = (session: string) => ({ route: 'default', session, clientKey: undefined });

it('keeps at most its limit, dropping the session answered least recently', () => {
  let now = 0;
  const memory = createSessionMemory(() => now, 1_000, 3);
  for (const s of ['a', 'b', 'c']) memory.answered(key(s), `d-${s}`);
  memory.answered(key('a'), 'd-a2');
  memory.answered(key('d'), 'd-d');
  expect(['a', 'b', 'c', 'd'].map((s) => memory.deploymentOf(key(s)))).toEqual(['d-a2', undefined, 'd-c', 'd-d']);
  now = 1_001;
  expect(memory.deploymentOf(key('a'))).toBeUndefined();
});

it('hands out what changed since it was last asked, once each, and restores saved sessions within the idle time', () => {
  let now = 5_000;
  const memory = createSessionMemory(() => now, 1_000, 3);
  memory.answered(key('a'), 'd-1');
  memory.answered(key('a'), 'd-2');
  memory.answered(key('b'), 'd-1');
  const changed = memory.changed().kept;
  expect(changed.map((s) => [s.deployment, s.at])).toEqual([['d-2', 5_000], ['d-1', 5_000]]);
  expect(memory.changed()).toEqual({ kept: [], forgotten: [] });

  now = 6_000;
  const restored = createSessionMemory(() => now, 1_000, 3);
  restored.answered(key('b'), 'd-live');
  // Oldest first; one too old is left out, and a session answered since the start keeps its answer.
  restored.restore([{ id: 'x', deployment: 'd-old', at: 4_999 }, ...changed]);
  expect(['a', 'b'].map((s) => restored.deploymentOf(key(s)))).toEqual(['d-2', 'd-live']);
  expect(restored.changed().kept.map((s) => s.deployment)).toEqual(['d-live']);
});

it('forgets a session on a route when told, and hands that out to be saved once, unless it is answered again first', () => {
  const memory = createSessionMemory(() => 0, 1_000, 3);
  memory.answered(key('a'), 'd-1');
  memory.answered(key('b'), 'd-1');
  memory.changed();
  expect(memory.forget(key('a'))).toBe(true);
  expect(memory.forget(key('a'))).toBe(false);
  expect(memory.deploymentOf(key('a'))).toBeUndefined();
  memory.forget(key('b'));
  memory.answered(key('b'), 'd-2');
  const changed = memory.changed();
  expect(changed.forgotten).toHaveLength(1);
  expect(changed.kept.map((s) => s.deployment)).toEqual(['d-2']);
  expect(memory.changed()).toEqual({ kept: [], forgotten: [] });
});

it('carries sessions through a deployment rename: the routes that changed by it alone, kept in their order and saved under the new keys', () => {
  const memory = createSessionMemory(() => 0, 1_000, 10);
  const route = (name: string, deployments: string[], strategy?: 'ordered' | 'weighted') => ({ name, deployments, ...(strategy ? { strategy } : {}) });
  const before = [route('main', ['llama', 'mini']), route('other', ['llama', 'mini']), route('cloud', ['mini'])];
  const after = [route('main', ['local', 'mini']), route('other', ['mini', 'local']), route('cloud', ['mini'])];
  memory.answered(sessionKey(before[0]!, 's1', undefined), 'llama');
  memory.answered(sessionKey(before[1]!, 's2', 'codex'), 'mini');
  memory.answered(sessionKey(before[0]!, 's3', 'codex'), 'mini');
  memory.answered(sessionKey(before[2]!, 's4', undefined), 'mini');
  memory.changed();

  memory.renamed(new Map([['llama', 'local']]), before, after);
  expect(memory.deploymentOf(sessionKey(after[0]!, 's1', undefined))).toBe('local');
  expect(memory.deploymentOf(sessionKey(after[0]!, 's3', 'codex'))).toBe('mini');
  // Reordered as well as renamed: its sessions start afresh, as after any new order.
  expect(memory.deploymentOf(sessionKey(after[1]!, 's2', 'codex'))).toBeUndefined();
  expect(memory.deploymentOf(sessionKey(after[2]!, 's4', undefined))).toBe('mini');
  const saved = memory.changed();
  expect(saved.kept.map((s) => s.deployment).sort()).toEqual(['local', 'mini']);
  expect(saved.forgotten).toHaveLength(2);
});

it('pairs a deployment that left with one that came reaching the same model on the same server, and only when that is certain', () => {
  const config = (deployments: [string, string, string][]) => ({
    version: 1 as const,
    providers: [{ name: 'local', kind: 'ollama' as const, baseUrl: 'http://127.0.0.1:11434' }, { name: 'cloud', kind: 'openai' as const, baseUrl: 'https://api.openai.com/v1' }],
    deployments: deployments.map(([name, provider, model]) => ({ name, provider, model })),
    routes: [],
  });
  const before = config([['llama', 'local', 'llama3.2'], ['mini', 'cloud', 'gpt-4.1-mini'], ['a', 'cloud', 'gpt-5'], ['b', 'cloud', 'gpt-5'], ['q', 'local', 'qwen3']]);
  const after = config([['local-llama', 'local', 'llama3.2'], ['mini', 'cloud', 'gpt-4.1-mini'], ['c', 'cloud', 'gpt-5'], ['qwen', 'local', 'qwen3:8b']]);
  expect([...renamedDeployments(before, after)]).toEqual([['llama', 'local-llama']]);
});
