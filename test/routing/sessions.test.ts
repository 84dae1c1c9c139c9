/** The sticky sessions' memory: bounded (the least recently answered goes first), forgetful past the idle time or when told, and saved by what changed. */
import { expect, it } from 'vitest';
import { createSessionMemory } from '../../gateway/routing/sessions';

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
