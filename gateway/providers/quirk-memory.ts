/**
 * One learner's memory of an upstream, model by model: what the QuirkBook kept from earlier runs,
 * and a way to keep what it learns now. The learners (unknown-fields.ts, output-limit.ts,
 * responses-bridge.ts) hold their maps themselves; this is only where those start and are saved.
 */
import type { ProviderConfig } from '../config/schema';
import type { ProviderContext } from './types';

export interface LearnerMemory<V> {
  /** What was learned before this adapter was made, oldest first. */
  initial: [model: string, value: V][];
  remember(model: string, value: V): void;
}

/** Kept values are read from disk: each is checked by `read`, and one it refuses (undefined) is skipped. */
export function learnerMemory<V>(context: Pick<ProviderContext, 'quirks'>, config: ProviderConfig, learner: string, read: (stored: unknown) => V | undefined, store: (value: V) => unknown = (v) => v): LearnerMemory<V> {
  const book = context.quirks;
  // The server, not the provider's name: another base URL is another server, which has its own quirks.
  const upstream = `${config.kind} ${config.baseUrl}`;
  const initial: [string, V][] = [];
  for (const [model, stored] of book?.recall(upstream, learner) ?? []) {
    const value = read(stored);
    if (value !== undefined) initial.push([model, value]);
  }
  return { initial, remember: (model, value) => book?.note(upstream, learner, model, store(value)) };
}
