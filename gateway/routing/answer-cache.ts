/**
 * How a surface's answers go in and out of the response cache, whatever their wire: a stream is
 * kept as its events once it ended cleanly, a whole answer as itself, and each shape can be served
 * as the other (a surface says how to turn one into the other).
 */
import { keyFields } from './cache-policy';
import type { Caching } from './router';
import { recordWhole, replay, type OpenedStream } from './streams';

/** What is cached: the events of a streamed answer, or a whole one. */
interface CachedAnswer<Item, Whole> {
  items?: Item[];
  whole?: Whole;
}

export interface AnswerShapes<Item, Whole> {
  /** The events a stream of this whole answer would have had. */
  itemsOf(whole: Whole): Item[];
  /** The whole answer a complete stream of these events makes. */
  wholeOf(items: Item[]): Whole;
}

export function cachedStream<Item, Whole>(body: Record<string, unknown>, repeatable: boolean, shapes: AnswerShapes<Item, Whole>): Caching<OpenedStream<Item>> {
  return {
    key: () => keyFields(body),
    repeatable,
    restore: (payload) => {
      const answer = payload as CachedAnswer<Item, Whole>;
      return replay(answer.items ?? shapes.itemsOf(answer.whole as Whole));
    },
    keep: (opened, store) => recordWhole(opened, (items) => store({ items } satisfies CachedAnswer<Item, Whole>)),
  };
}

export function cachedWhole<Item, Whole>(body: Record<string, unknown>, repeatable: boolean, shapes: AnswerShapes<Item, Whole>): Caching<Whole> {
  return {
    key: () => keyFields(body),
    repeatable,
    restore: (payload) => {
      const answer = payload as CachedAnswer<Item, Whole>;
      return answer.whole ?? shapes.wholeOf(answer.items ?? []);
    },
    keep: (whole, store) => {
      store({ whole } satisfies CachedAnswer<Item, Whole>);
      return whole;
    },
  };
}
