/**
 * Edits not saved yet, by what holds them ("deployment llama", "the new route"). They live only in
 * the page, so whatever would drop them asks first: a link of the dashboard, Back, another form in
 * the same place, and (through the browser's own prompt) a reload or closing the tab.
 */
import { useEffect, useId, useState } from 'react';

/** A form's id (React's useId) to what it edits: a form is in here only while it has unsaved edits. */
const open = new Map<string, string>();

/** Counts `what` as unsaved while `dirty`, until the form is gone. */
export function useUnsaved(what: string, dirty: boolean): void {
  const id = useId();
  useEffect(() => {
    if (!dirty) return;
    open.set(id, what);
    return () => void open.delete(id);
  }, [id, what, dirty]);
}

/**
 * For a form without a notion of its own of what changed: `value` (all it holds, as typed) against
 * what it held when drawn or last saved. Returns what to call with the value a save sent, once it is
 * saved; edits typed while the save was on their way stay unsaved.
 */
export function useEdits(what: string, value: unknown): (saved: unknown) => void {
  const now = JSON.stringify(value);
  const [baseline, setBaseline] = useState(now);
  useUnsaved(what, now !== baseline);
  return (saved) => setBaseline(JSON.stringify(saved));
}

/**
 * A list's one open form (a deployment's, a budget's), named by `labelOf`: another opened in its place
 * asks before the open one's unsaved edits go; closing it (Cancel, Save) does not.
 */
export function useOpenForm<T>(labelOf: (item: T) => string): [T | null, (next: T | null) => void] {
  const [item, setItem] = useState<T | null>(null);
  const open = (next: T | null) => {
    if (item !== null && next !== null && labelOf(item) !== labelOf(next) && !mayDiscard([labelOf(item)])) return;
    setItem(next);
  };
  return [item, open];
}

export function unsavedEdits(): string[] {
  return [...new Set(open.values())];
}

/**
 * True when nothing would be lost, or the user chooses to lose it. `only`: just these forms' edits are
 * at stake (one form is replaced by another), not the whole page's.
 */
export function mayDiscard(only?: string[]): boolean {
  const lost = unsavedEdits().filter((what) => only === undefined || only.includes(what));
  if (lost.length === 0) return true;
  return window.confirm(`Leave without saving? Your edits to ${listed(lost)} will be lost.`);
}

/** The browser's own prompt before a reload or closing the tab (the desktop window asks in a dialog of its own). */
export function guardUnload(): () => void {
  const onUnload = (event: BeforeUnloadEvent) => {
    if (open.size === 0) return;
    event.preventDefault();
    // Older browsers (and Electron's will-prevent-unload) look for returnValue rather than preventDefault.
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', onUnload);
  return () => window.removeEventListener('beforeunload', onUnload);
}

function listed(items: string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}
