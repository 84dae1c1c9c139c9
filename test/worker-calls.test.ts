/**
 * Calls to a worker thread (gateway/worker-calls.ts), with real workers: each answer goes to its own
 * call, an error reply rejects that call alone, an idle worker ends (a call it could not be sent
 * keeps it no longer), calls held by a worker that is stopped are refused, and a worker that throws,
 * or cannot even be made, hands its calls back.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { workerCalls, type HeldCall, type WorkerCalls } from '../gateway/worker-calls';

// Answers `{ n }` with n * 2 after n ms, refuses a negative n, throws on n === 13, never answers 99.
const SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, n }) => {
  if (n === 13) throw new Error('unlucky');
  if (n === 99) return;
  setTimeout(() => parentPort.postMessage(n < 0 ? { id, error: 'negative' } : { id, result: n * 2 }), n);
});
`;

type Ask = { n: number };
const made: WorkerCalls<Ask, number>[] = [];
const failures: { error: unknown; held: HeldCall<Ask, number>[] }[] = [];
const calls = (options: { idleMs?: number; start?: () => Worker } = {}) => {
  const created = workerCalls<Ask, number>({
    start: options.start ?? (() => new Worker(SOURCE, { eval: true })),
    idleMs: options.idleMs ?? 60_000,
    failed: (error, held) => {
      failures.push({ error, held });
      for (const call of held) call.resolve(-1);
    },
    stopped: 'stopped under it',
  });
  made.push(created);
  return created;
};
afterEach(async () => {
  await Promise.all(made.splice(0).map((c) => c.stop()));
  failures.length = 0;
});

it('answers each call with its own reply, whatever order they come in, and an error reply rejects its call alone', async () => {
  const worker = calls();
  const answers = Promise.all([worker.call({ n: 30 }), worker.call({ n: 1 }), worker.call({ n: 10 })]);
  const refused = expect(worker.call({ n: -1 })).rejects.toThrow('negative');
  expect(await answers).toEqual([60, 2, 20]);
  await refused;
  expect(worker.running).toBe(true);
});

it('ends an idle worker, and refuses with `stopped` what a worker stopped under it held', async () => {
  const idle = calls({ idleMs: 10 });
  await idle.call({ n: 1 });
  await expect.poll(() => idle.running).toBe(false);
  expect(await idle.call({ n: 2 })).toBe(4);
  // What cannot be sent is refused at once and waits for no answer: the worker still ends when idle.
  await expect(idle.call({ n: 1, then: () => undefined } as Ask)).rejects.toThrow(/could not be cloned/);
  await expect.poll(() => idle.running).toBe(false);
  const stopping = calls();
  const held = stopping.call({ n: 99 });
  await expect.poll(() => stopping.running).toBe(true);
  await stopping.stop();
  await expect(held).rejects.toThrow('stopped under it');
});

it('hands back the calls of a worker that throws, and of one that cannot be made', async () => {
  const throwing = calls();
  const other = throwing.call({ n: 99 });
  expect(await throwing.call({ n: 13 })).toBe(-1);
  expect(await other).toBe(-1);
  expect(failures[0]?.error).toMatchObject({ message: 'unlucky' });
  expect(failures[0]?.held.map((call) => call.ask.n).sort()).toEqual([13, 99]);
  expect(throwing.running).toBe(false);
  const unmade = calls({
    start: () => {
      throw new Error('no code to run');
    },
  });
  expect(await unmade.call({ n: 5 })).toBe(-1);
  expect(failures[1]?.error).toMatchObject({ message: 'no code to run' });
});
