/**
 * A page's state that outlives the page while the tab lives, as the playground's conversation does
 * when the user looks at its request on the Usage page and comes back, or reloads. Held in memory as
 * it changes (so what a page sets as it goes, an answer stopped on the way out, is there when it
 * comes back) and in the tab's sessionStorage a moment later: a streamed answer changes it at every
 * chunk, and is written once a second at most.
 */
import { useState } from 'react';

const memory = new Map<string, unknown>();
const writes = new Map<string, ReturnType<typeof setTimeout>>();
const PREFIX = 'switchyard.kept.';

// A reload within the second: what is still to be written goes now.
window.addEventListener('pagehide', () => {
  for (const [key, timer] of writes) {
    clearTimeout(timer);
    store(key);
  }
});

export function useKeptState<T>(key: string, initial: T): [T, (next: T) => void] {
  const [value, setValue] = useState<T>(() => (memory.has(key) ? (memory.get(key) as T) : (stored<T>(key) ?? initial)));
  const set = (next: T) => {
    memory.set(key, next);
    if (!writes.has(key)) writes.set(key, setTimeout(() => store(key), 1000));
    setValue(next);
  };
  return [value, set];
}

function stored<T>(key: string): T | undefined {
  try {
    const text = window.sessionStorage.getItem(PREFIX + key);
    return text === null ? undefined : (JSON.parse(text) as T);
  } catch {
    return undefined;
  }
}

function store(key: string): void {
  writes.delete(key);
  try {
    window.sessionStorage.setItem(PREFIX + key, JSON.stringify(memory.get(key)));
  } catch {
    // Over the tab's quota (a long conversation with large requests): it is still kept in memory, for this load.
    window.sessionStorage.removeItem(PREFIX + key);
  }
}
