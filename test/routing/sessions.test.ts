/** The sticky sessions' memory: bounded (the least recently answered goes first) and forgetful past the idle time. */
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
