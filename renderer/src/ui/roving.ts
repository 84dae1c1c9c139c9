/**
 * The arrow keys in a group that is one stop for Tab (WAI-ARIA's roving tabindex, as tabs and radio
 * groups have it): the next or previous item, wrapping, Home the first and End the last. Moves the
 * focus there and says which it is, or nothing for another key.
 */
import type { KeyboardEvent } from 'react';

export function roved(event: KeyboardEvent, at: number, items: ArrayLike<HTMLElement> | undefined, upDown = false): number | undefined {
  const count = items?.length ?? 0;
  const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: count - 1, ...(upDown ? { ArrowDown: at + 1, ArrowUp: at - 1 } : {}) };
  const to = moves[event.key];
  if (to === undefined || count === 0) return undefined;
  event.preventDefault();
  const index = (to + count) % count;
  items?.[index]?.focus();
  return index;
}
