import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cancellation, asAbortSignal, linkedCancellation } from '../../gateway/cancel';

describe('cancellation', () => {
  it('runs each listener once, at the abort, with the reason kept', () => {
    const c = new Cancellation();
    let calls = 0;
    const removed = () => (calls += 100);
    c.addEventListener('abort', () => calls++);
    c.addEventListener('abort', removed);
    c.removeEventListener('abort', removed);
    c.abort('why');
    c.abort('again');
    expect(calls).toBe(1);
    expect(c.aborted).toBe(true);
    expect(c.reason).toBe('why');
  });

  it('follows its parent, times out by itself, and unlinks on end', async () => {
    const parent = new Cancellation();
    const followed = linkedCancellation(parent, undefined, () => 'timeout');
    parent.abort('client left');
    expect(followed.signal.reason).toBe('client left');

    const timed = linkedCancellation(new Cancellation(), 5, () => 'timeout');
    await sleep(30);
    expect(timed.signal.reason).toBe('timeout');

    const other = new Cancellation();
    const ended = linkedCancellation(other, 5, () => 'timeout');
    ended.end();
    other.abort('late');
    await sleep(30);
    expect(ended.signal.aborted).toBe(false);
  });

  it('is accepted where Node expects an AbortSignal (timers/promises)', async () => {
    const c = new Cancellation();
    const waiting = sleep(10_000, undefined, { signal: asAbortSignal(c) });
    c.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow(/abort/i);
  });
});
